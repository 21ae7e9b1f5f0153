"""A project's dailies: the list, newest first, and the form starting a new one."""

from pyramid.view import view_config

from ...forms import submit_form
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.dailies.dailies import create_daily, project_dailies
from .forms import DailyForm


def _list_page(request, form: DailyForm) -> dict:
    project = request.context.entity
    return {
        "project": project,
        "page": project_dailies(
            request.dbsession, project, parse_page_number(request.params.get("page"))
        ),
        "form": form,
        "can_create": bool(request.has_permission(Permissions.CREATE_DAILY)),
    }


@view_config(
    route_name="projects.dailies",
    renderer="dailies/list.jinja2",
    request_method="GET",
    permission=Permissions.LIST_DAILY,
)
def dailies_view(request):
    """The project's dailies, each with how many versions it holds and how many were answered."""
    return _list_page(request, DailyForm())


@view_config(
    route_name="projects.dailies",
    renderer="dailies/list.jinja2",
    request_method="POST",
    permission=Permissions.CREATE_DAILY,
)
def daily_create_view(request):
    """Start a daily (Open); its page is where versions are added."""
    form = DailyForm(request.POST)

    def save():
        daily = create_daily(
            request.dbsession, request.context.entity, form.name.data, form.description.data
        )
        return (
            f"Daily {daily.name} started. Add the versions to review.",
            request.route_url("dailies.view", daily_id=daily.id),
        )

    return submit_form(request, form, save) or _list_page(request, form)
