"""The API's errors, as JSON: ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.

``code`` is for programs (``not_found``, ``invalid``, ``conflict``...), ``message`` for people;
``fields`` names what to fix in a request body, field by field. Whatever goes wrong under
``/api/`` answers this way, never with an HTML page: unknown addresses, refused rights, bad
input, workflow refusals (with the reason), stale updates, rate limits and unexpected errors.

What the caller may not see answers 404, as if it did not exist: a read refused, or a change
refused on something the caller cannot read. A change refused on something they can read
answers 403 with the reason.
"""

import logging

from pyramid.authorization import ACLDenied, ACLHelper
from pyramid.httpexceptions import HTTPException, HTTPForbidden, HTTPNotFound
from pyramid.security import Denied
from pyramid.view import exception_view_config

from ..security import SAFE
from ..services.errors import ConflictError, ValidationError
from .operations import operation_of

log = logging.getLogger(__name__)

API_PATHS = r"^/api/"
# Status codes the API's errors use, and their codes for programs.
CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "rate_limited",
    500: "internal",
    503: "unavailable",
}
NOT_FOUND = "Nothing is here, or you may not see it."


class ApiError(Exception):
    """An error the API answers with ``status``, ``code`` and ``message`` (and ``fields``)."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str | None = None,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.code = code or CODES.get(status, "error")
        self.fields = fields or {}
        self.headers = headers or {}


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict:
    """The JSON body of an error."""
    error: dict = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def _answer(request, status: int, code: str, message: str, fields=None, headers=None) -> dict:
    response = request.response
    response.status_int = status
    response.headers.update(headers or {})
    response.headers["Cache-Control"] = "no-store"
    return error_body(code, message, fields)


@exception_view_config(ApiError, path_info=API_PATHS, renderer="json")
def api_error(error: ApiError, request) -> dict:
    return _answer(request, error.status, error.code, error.message, error.fields, error.headers)


@exception_view_config(ValidationError, path_info=API_PATHS, renderer="json")
def validation_error(error: ValidationError, request) -> dict:
    """A service refused the input or the workflow refused the change: 422 with the reason
    (under its field when it names one); an update on a stale copy: 409."""
    if isinstance(error, ConflictError):
        return _answer(request, 409, "conflict", error.message)
    fields = {error.field: error.message} if error.field else None
    return _answer(request, 422, "invalid", error.message, fields)


@exception_view_config(HTTPForbidden, path_info=API_PATHS, renderer="json")
def forbidden(error: HTTPForbidden, request) -> dict:
    """No token: 401. A read the ACL refused, or a change of what the caller may not read:
    404. Otherwise 403 with the reason."""
    if request.user is None:
        return _answer(
            request,
            401,
            "unauthenticated",
            "Send an API token: Authorization: Bearer <token> (make one on your profile page).",
            headers={"WWW-Authenticate": 'Bearer realm="stalker_web"'},
        )
    refused_by_acl = isinstance(error.result, ACLDenied)
    if refused_by_acl and (request.method in SAFE or not _may_read(request)):
        return _answer(request, 404, "not_found", NOT_FOUND)
    return _answer(request, 403, "forbidden", _reason(error))


def _reason(error: HTTPForbidden) -> str:
    """The words of a refusal: the policy's own (a read-only token) or a refusal raised with
    words (a password to change first); an ACL's refusal is only "you may not"."""
    result = error.result
    if isinstance(result, Denied) and not isinstance(result, ACLDenied):
        return result.msg
    if result is None and isinstance(error.detail, str) and error.detail:
        return error.detail
    return "You may not do this."


def _may_read(request) -> bool:
    """Whether the caller may read the context of the refused change (its operation says with
    which permission; none: they may), by the ACL alone: a read-only token reads too."""
    operation = operation_of(request)
    permission = operation.read_permission if operation is not None else None
    if permission is None:
        return True
    return bool(ACLHelper().permits(request.context, request.principals, permission))


@exception_view_config(HTTPNotFound, path_info=API_PATHS, renderer="json")
def not_found(error: HTTPNotFound, request) -> dict:
    """No such address, no such object, or a method no view of the address takes."""
    return _answer(request, 404, "not_found", NOT_FOUND)


@exception_view_config(HTTPException, path_info=API_PATHS, renderer="json")
def http_error(error: HTTPException, request) -> dict:
    """Pyramid's other answers (413 for a body too large...) in the API's form."""
    status = error.code or 500
    return _answer(request, status, CODES.get(status, "error"), str(error.detail or error.title))


@exception_view_config(Exception, path_info=API_PATHS, renderer="json")
def unexpected_error(error: Exception, request) -> dict:
    log.exception("API request %s %s failed", request.method, request.path_qs)
    return _answer(request, 500, "internal", "Something went wrong on the server; try again.")
