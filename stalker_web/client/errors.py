"""What the client raises: one exception per kind of answer, each with the API's words."""

from typing import Dict, Optional


class StalkerError(Exception):
    """An error of the stalker_web client."""


class ConnectionFailed(StalkerError):
    """The server could not be reached (after the retries)."""


class ApiError(StalkerError):
    """The API refused the request: ``status``, ``code`` (for programs), ``message`` (for
    people) and ``fields`` (what to fix, by field)."""

    def __init__(
        self, status: int, code: str, message: str, fields: Optional[Dict[str, str]] = None
    ) -> None:
        super().__init__(f"{status} ({code}): {message}")
        self.status, self.code, self.message = status, code, message
        self.fields = fields or {}


class Unauthenticated(ApiError):
    """401: no valid token (revoked, expired, or a typo)."""


class Forbidden(ApiError):
    """403: the token's owner may not do this, or the token is read only."""


class NotFound(ApiError):
    """404: nothing there, or the token's owner may not see it."""


class Conflict(ApiError):
    """409 or 412: someone changed it meanwhile; read it again, then retry."""


class Invalid(ApiError):
    """422: the input breaks a rule, or the workflow refuses (``message`` says why)."""


class RateLimited(ApiError):
    """429: too many requests this minute (after waiting and retrying)."""


class ServerError(ApiError):
    """5xx: a fault on the server."""


_BY_STATUS = {401: Unauthenticated, 403: Forbidden, 404: NotFound, 409: Conflict,
              412: Conflict, 422: Invalid, 429: RateLimited}  # fmt: skip


def error_for(status: int, body: object) -> ApiError:
    """The exception for an error answer (``body``: its parsed JSON, if any)."""
    error = body.get("error", {}) if isinstance(body, dict) else {}
    code = error.get("code") or f"http_{status}"
    message = error.get("message") or f"The server answered {status}."
    kind = _BY_STATUS.get(status, ServerError if status >= 500 else ApiError)
    return kind(status, code, message, error.get("fields"))
