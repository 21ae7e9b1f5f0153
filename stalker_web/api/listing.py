"""Lists of the API: cursor pages in a stable order (ascending ids), the page size asked for,
and sparse fields.

A page answers ``{"data": [...], "next_cursor": "..."}`` (``null`` on the last page) and a
``Link: <...>; rel="next"`` header. The cursor is opaque to callers (the last id, encoded): new
rows never shift a page, as offsets would.
"""

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from ..limits import whole_number
from .errors import ApiError
from .operations import Param
from .schemas import properties_of

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000

PAGE_PARAMS = (
    Param(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        f"How many items a page holds (at most {MAX_LIMIT}).",
    ),
    Param("cursor", {"type": "string", "maxLength": 64}, "The next_cursor of the previous page."),
)
FIELDS_PARAM = Param(
    "fields",
    {"type": "string", "maxLength": 512},
    "The fields each item holds, separated by commas (default: all); id is always there.",
)


def page_schema(item: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a page of ``item``s."""
    return {
        "type": "object",
        "required": ["data", "next_cursor"],
        "properties": {
            "data": {"type": "array", "items": item},
            "next_cursor": {"type": ["string", "null"]},
        },
    }


def encode_cursor(last_id: int) -> str:
    raw = json.dumps({"after": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The id a cursor continues after; 400 for one this API did not give."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        after = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))["after"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeEncodeError) as error:
        raise ApiError(400, "This cursor is not one of this list's.", "invalid_cursor") from error
    if whole_number(after) is None:
        raise ApiError(400, "This cursor is not one of this list's.", "invalid_cursor")
    return after


def page_limit(request) -> int:
    raw = request.GET.get("limit")
    if raw is None:
        return DEFAULT_LIMIT
    limit = whole_number(raw, MAX_LIMIT)
    if not limit:
        raise ApiError(
            400,
            f"limit is a whole number from 1 to {MAX_LIMIT}.",
            "invalid_parameter",
            {"limit": f"Use a whole number from 1 to {MAX_LIMIT}."},
        )
    return limit


def chosen_fields(request, known: Iterable[str]) -> set[str] | None:
    """The fields asked for with ``?fields=`` (None: all); 400 naming an unknown one."""
    raw = request.GET.get("fields")
    if raw is None:
        return None
    wanted = {name.strip() for name in raw.split(",") if name.strip()}
    unknown = sorted(wanted - set(known))
    if unknown:
        raise ApiError(
            400,
            f"Unknown field: {', '.join(unknown)[:200]}. Known: {', '.join(sorted(known))}.",
            "invalid_parameter",
            {"fields": "Name fields the items have."},
        )
    return wanted | {"id"}


def only(item: dict[str, Any], fields: set[str] | None) -> dict[str, Any]:
    return item if fields is None else {key: item[key] for key in item if key in fields}


def cursor_page(
    request,
    dbsession: Session,
    statement: Select,
    id_column,
    serialize: Callable[[list[Any]], list[dict[str, Any]]],
    item: dict[str, str],
) -> dict[str, Any]:
    """One page of ``statement`` (rows with an ``id``) after the request's cursor, ascending by
    id; ``serialize`` turns the page's rows into items of the schema ``item`` (a reference; in
    one go, so it can batch its queries)."""
    fields = chosen_fields(request, properties_of(item))
    limit = page_limit(request)
    after = decode_cursor(request.GET.get("cursor"))
    if after is not None:
        statement = statement.where(id_column > after)
    rows = list(dbsession.scalars(statement.order_by(id_column).limit(limit + 1)))
    items = rows[:limit]
    next_cursor = encode_cursor(items[-1].id) if len(rows) > limit else None
    if next_cursor is not None:
        query = {**request.GET, "cursor": next_cursor}
        url = request.current_route_url(_query=query)
        request.response.headers["Link"] = f'<{url}>; rel="next"'
    return {"data": [only(item, fields) for item in serialize(items)], "next_cursor": next_cursor}
