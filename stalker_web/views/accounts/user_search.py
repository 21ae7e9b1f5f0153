"""The user picker's answers: active people whose name or login contains the typed text, as JSON."""

from pyramid.view import view_config

from ...limits import query_int, query_text
from ...permissions import Permissions
from ...services.accounts.user_search import (
    DEFAULT_LIMIT,
    SEARCH_MAX_LENGTH,
    search_users,
)
from ...services.errors import ValidationError


@view_config(
    route_name="users.search",
    renderer="json",
    request_method="GET",
    permission=Permissions.VIEW,
)
def user_search_view(request):
    """``?q=an&project_id=3&department_id=2&limit=10``: ``{"users": [...], "more": false}``
    (``&members_only=1``: the project's members only); 400 with ``{"error": ...}`` for an empty
    or too long text or a limit out of 1..25."""
    request.response.cache_control = "no-store"
    params = request.GET
    limit = query_int(params, "limit") if "limit" in params else DEFAULT_LIMIT
    try:
        found = search_users(
            request.dbsession,
            query_text(params, "q", max_length=SEARCH_MAX_LENGTH + 1),
            project_id=query_int(params, "project_id"),
            department_id=query_int(params, "department_id"),
            limit=limit if limit is not None else 0,
            members_only=query_text(params, "members_only") == "1",
        )
    except ValidationError as error:
        request.response.status_int = 400
        return {"error": error.message}
    return found.as_json()
