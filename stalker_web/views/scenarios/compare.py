"""A scenario beside the live plan: project and milestone ends, load per department and week,
and cost, with warnings when its results are missing or out of date."""

from pyramid.view import view_config

from ...permissions import Permissions
from ...services.scenarios.compare import compare_scenario


@view_config(
    route_name="scenarios.compare",
    renderer="scenarios/compare.jinja2",
    request_method="GET",
    permission=Permissions.LIST_SCENARIOS,
)
def compare_view(request):
    scenario = request.context.entity
    return {"scenario": scenario, "comparison": compare_scenario(request.dbsession, scenario)}
