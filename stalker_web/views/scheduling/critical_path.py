"""The critical path page of a project: the chain of tasks that decides its end (or a chosen
milestone) and the tasks with the least float."""

from pyramid.view import view_config

from ...limits import query_int
from ...permissions import Permissions
from ...services.scheduling.critical_path import chosen_critical_path
from ..common import readable_projects


@view_config(
    route_name="projects.critical_path",
    renderer="schedule/critical_path.jinja2",
    request_method="GET",
    permission=Permissions.READ_PROJECT,
)
def critical_path_view(request):
    """The critical path towards the chosen ``?milestone=`` (the project's end when none is
    chosen, or when the one asked for is not a scheduled milestone of the project: then said
    so)."""
    project = request.context.entity
    path, missing = chosen_critical_path(
        request.dbsession,
        project,
        query_int(request.params, "milestone"),
        readable_projects(request),
    )
    return {"project": project, "critical": path, "milestone_missing": missing}
