"""One-time form tokens: a page's create made once, whatever the browser sends again.

A form carries a random token (``new_submission_key``) made when the page was shown. When a
reply is lost (a dropped connection, a commit whose answer never came back) the person sends
the same form again; ``made_once`` finds the token claimed by the first send and answers with
what it made, instead of making a second one. The tokens share the API's Idempotency-Key records
(``services/idempotency.py``) under a prefix of their own.
"""

import hashlib
import secrets
from collections.abc import Callable

from ..services.errors import ValidationError
from ..services.idempotency import claim_key

SUBMISSION_KEY_LENGTH = 64
KEY_PREFIX = "form:"


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


def made_once(
    request, submission_key: str | None, create: Callable[[], tuple[str, str]]
) -> tuple[str, str]:
    """``create()`` (the message to flash and the URL of what it made), once per
    ``submission_key``; a form sent again gets the first send's URL with a message saying so."""
    if not submission_key:
        return create()
    request_hash = hashlib.sha256(request.path.encode()).hexdigest()
    claim, earlier = claim_key(
        request.dbsession, request.user.id, KEY_PREFIX + submission_key, request_hash
    )
    if claim is None:
        if earlier is None or not earlier.location:
            raise ValidationError("This form is being saved already: wait a moment and reload.")
        return "This was already saved when you first sent the form: here it is.", earlier.location
    message, url = create()
    claim.status = 303
    claim.location = url
    return message, url
