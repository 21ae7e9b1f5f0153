"""The slip report of a project: what ends later now than in a chosen schedule baseline."""

from pyramid.view import view_config

from ...limits import query_int
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.scheduling import baselines as schedule_baselines


@view_config(
    route_name="projects.slips",
    renderer="schedule/slips.jinja2",
    request_method="GET",
    permission=Permissions.READ_PROJECT,
)
def slips_view(request):
    """Tasks and milestones of the project whose computed end moved later since the baseline
    asked for (``?baseline=``; by default the oldest one kept), largest slip first."""
    project = request.context.entity
    baselines = schedule_baselines.project_baselines(request.dbsession, project)
    context = {
        "project": project,
        "baselines": baselines,
        "baseline": None,
        "page": None,
        "baseline_label": schedule_baselines.baseline_label,
    }
    try:
        baseline = schedule_baselines.chosen_baseline(
            baselines, query_int(request.params, "baseline"), default_oldest=True
        )
    except LookupError:
        request.response.status_int = 404
        return {**context, "baseline_missing": True}
    if baseline is None:
        return {**context, "baseline_missing": False}
    page = schedule_baselines.slips_page(
        request.dbsession,
        baseline,
        parse_page_number(request.params.get("page")),
        params={"baseline": baseline.id},
    )
    return {**context, "baseline": baseline, "page": page, "baseline_missing": False}
