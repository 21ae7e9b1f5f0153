"""Rate limits per API token: ``api.requests_per_minute`` of the studio configuration, counted
in the database (so every app process shares the count). Each response says where the caller
stands (``RateLimit-Limit``, ``RateLimit-Remaining``, ``RateLimit-Reset`` in seconds); beyond
the limit the API answers 429 with ``Retry-After`` until the minute is over.

The count is read with the token, and written once the view has answered
(``operations.counted``, in the request's transaction: the row stays locked only from then to the
commit, so a tool sending many requests at once with one token is not held up by it); a refused
or failed request writes nothing: the limit counts the requests that did something. Requests
arriving at the same moment may pass the limit by a few.
"""

import math

from pyramid.events import ContextFound

from ..models.meta import utcnow
from ..services.accounts.api_tokens import rate_state
from .errors import ApiError


def count_api_request(event) -> None:
    """Count the request of an API token, then refuse it when over the limit."""
    request = event.request
    token = request.api_token
    if token is None:
        return
    now = utcnow()
    limit = int(request.studio_config["api"]["requests_per_minute"])
    state = rate_state(token, limit, now)
    reset = max(0, math.ceil((state.resets_at - now).total_seconds()))
    headers = {
        "RateLimit-Limit": str(state.limit),
        "RateLimit-Remaining": str(state.remaining),
        "RateLimit-Reset": str(reset),
    }
    request.add_response_callback(lambda _request, response: response.headers.update(headers))
    if state.exceeded:
        raise ApiError(
            429,
            f"This token sent more than {limit} requests this minute; wait {reset} s.",
            headers={"Retry-After": str(reset)},
        )


def includeme(config) -> None:
    config.add_subscriber(count_api_request, ContextFound)
