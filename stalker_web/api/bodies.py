"""Reading the JSON bodies and query parameters of the work endpoints: a body is an object of
known keys (an unknown one is refused, so a typo is not silently ignored), each value checked
for its type before a service sees it; a refusal is a 422 naming the field."""

from datetime import UTC, datetime
from typing import Any

from ..limits import whole_number
from .errors import ApiError


def refuse(field: str, words: str) -> ApiError:
    """The 422 of a body field."""
    return ApiError(422, f"{field}: {words}", fields={field: words})


def json_body(request, known: tuple[str, ...]) -> dict[str, Any]:
    """The request's JSON object (an empty body: {}), with only keys of ``known``."""
    if not request.body:
        return {}
    try:
        body = request.json_body
    except ValueError as error:
        raise ApiError(400, "The body is not valid JSON.", "invalid_json") from error
    if not isinstance(body, dict):
        raise ApiError(422, "The body is a JSON object.")
    unknown = sorted(set(body) - set(known))
    if unknown:
        raise ApiError(
            422,
            f"Unknown field: {', '.join(unknown)[:200]}. Known: {', '.join(known)}.",
            fields={name[:64]: "Not a field of this request." for name in unknown[:20]},
        )
    return body


def text(body: dict, field: str, max_length: int = 10_000, default: str = "") -> str:
    """The string ``field`` of ``body`` (``default`` when absent or null)."""
    value = body.get(field)
    if value is None:
        return default
    if not isinstance(value, str):
        raise refuse(field, "Send a string.")
    if len(value) > max_length:
        raise refuse(field, f"At most {max_length} characters.")
    return value


def optional_id(body: dict, field: str) -> int | None:
    """The id ``field`` of ``body`` (None when absent or null)."""
    value = body.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or whole_number(value) in (None, 0):
        raise refuse(field, "Send the id, a whole number from 1.")
    return value


def number(body: dict, field: str, default: float) -> float:
    """The non-negative number ``field`` of ``body`` (``default`` when absent)."""
    value = body.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise refuse(field, "Send a number from 0.")
    return float(value)


def moment(body: dict, field: str) -> datetime | None:
    """The ISO 8601 date and time ``field`` of ``body``, with its offset, in UTC (None when
    absent)."""
    value = body.get(field)
    if value is None:
        return None
    words = "Send an ISO 8601 date and time with its offset, such as 2026-03-02T09:00:00Z."
    if not isinstance(value, str) or len(value) > 64:
        raise refuse(field, words)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise refuse(field, words) from None
    if parsed.tzinfo is None:
        raise refuse(field, words)
    return parsed.astimezone(UTC)


def query_number(request, name: str) -> int | None:
    """The whole number of the query parameter ``name`` (None when absent); 400 otherwise."""
    raw = request.GET.get(name)
    if raw is None:
        return None
    value = whole_number(raw)
    if value is None:
        raise ApiError(
            400,
            f"{name} is a whole number.",
            "invalid_parameter",
            {name: "Use a whole number."},
        )
    return value


def query_flag(request, name: str) -> bool | None:
    """``true`` or ``false`` of the query parameter ``name`` (None when absent); 400 otherwise."""
    raw = request.GET.get(name)
    if raw is None:
        return None
    if raw not in ("true", "false"):
        raise ApiError(
            400, f"{name} is true or false.", "invalid_parameter", {name: "Use true or false."}
        )
    return raw == "true"
