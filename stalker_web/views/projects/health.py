"""The lateness list of a project: its late or at-risk leaf tasks, 50 a page, most late first."""

from datetime import UTC, datetime

from pyramid.httpexceptions import HTTPFound
from pyramid.view import view_config

from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.health.lateness_lists import lateness_page, parse_standing
from ...services.scheduling.lateness import Standing


@view_config(
    route_name="projects.lateness",
    renderer="projects/lateness.jinja2",
    request_method="GET",
    permission=Permissions.LIST_TASKS,
)
def lateness_view(request):
    """``?standing=late`` (the default) or ``at_risk``; anything else goes to the late list."""
    project = request.context.entity
    raw = request.params.get("standing")
    standing = parse_standing(raw)
    if standing is None:
        if raw is not None:
            url = request.route_url(
                "projects.lateness", project_id=project.id, _query={"standing": "late"}
            )
            return HTTPFound(url)
        standing = Standing.LATE
    now = datetime.now(UTC)
    page = lateness_page(
        request.dbsession, project, standing, now, parse_page_number(request.params.get("page"))
    )
    return {"project": project, "standing": standing, "page": page, "now": now}
