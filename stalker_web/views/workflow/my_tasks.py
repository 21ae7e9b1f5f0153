"""My tasks: the leaf tasks the user works on, with status, dates, progress, remaining time,
a quick time-log form and the request-review button."""

from pyramid.view import view_config

from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.workflow.pages import my_tasks_page


@view_config(
    route_name="my.tasks",
    renderer="my/tasks.jinja2",
    request_method="GET",
    permission=Permissions.VIEW,
)
def my_tasks_view(request):
    """Open tasks by default; ``?show=all`` adds the completed and stopped ones."""
    everything = request.GET.get("show") == "all"
    mine = my_tasks_page(
        request.dbsession,
        request.user,
        parse_page_number(request.GET.get("page")),
        everything=everything,
    )
    return {
        "mine": mine,
        "everything": everything,
        "daily_hours": mine.daily_working_hours,
    }
