"""A daily's page: its versions in order with their answers, the forms that fill and order it
while it is open, closing it, and once closed its summary."""

from pyramid.view import view_config

from ...forms import select_choices
from ...models import Type
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.activity.history import history
from ...services.dailies.dailies import close_daily, is_closed
from ...services.dailies.entries import collection_places
from ...services.dailies.page import daily_page
from ...services.pipeline.steps import studio_steps
from ..notes.adding import post_note
from ..notes.listing import notes_on_page
from ..workflow.status import act
from .forms import CollectForm


def daily_url(request, daily) -> str:
    return request.route_url("dailies.view", daily_id=daily.id)


def collect_choices(request, form: CollectForm) -> None:
    """Offer the project's top tasks and sequences, and the studio's steps."""
    project = request.context.project
    places = collection_places(request.dbsession, project)
    form.under.choices = select_choices(
        [("", f"Anywhere in {project.name}")] + [(task.id, path) for task, path in places]
    )
    steps: list[Type] = studio_steps(request.dbsession)
    form.step.choices = select_choices([("", "Any step")] + [(s.id, s.name) for s in steps])


def daily_view_page(request, collect_form: CollectForm | None = None) -> dict:
    """What the daily's page shows; ``collect_form`` is a refused collection."""
    daily = request.context.entity
    closed = is_closed(daily)
    can_update = bool(request.has_permission(Permissions.UPDATE_DAILY)) and not closed
    page = {
        "daily": daily,
        "project": request.context.project,
        "data": daily_page(request.dbsession, daily, parse_page_number(request.GET.get("page"))),
        "closed": closed,
        "can_update": can_update,
        "notes": notes_on_page(request, request.context.project, daily=daily),
        "activity": history(request.dbsession, request.user.id, daily_id=daily.id),
    }
    if can_update:
        collect_form = collect_form or CollectForm(time_zone=request.time_zone)
        collect_choices(request, collect_form)
        page["collect_form"] = collect_form
    return page


@view_config(
    route_name="dailies.view",
    renderer="dailies/view.jinja2",
    request_method="GET",
    permission=Permissions.LIST_DAILY,
)
def daily_view(request):
    """The daily's versions with their answers; once closed, its summary."""
    return daily_view_page(request)


@view_config(route_name="dailies.close", request_method="POST", permission=Permissions.UPDATE_DAILY)
def daily_close_view(request):
    """Close the daily: its answers become final and its summary goes to the people concerned."""
    daily = request.context.entity
    return act(
        request,
        lambda: close_daily(request.dbsession, daily),
        lambda: f"{daily.name} is closed; its summary goes to the people concerned.",
        daily_url(request, daily),
    )


@view_config(
    route_name="dailies.notes.add", request_method="POST", permission=Permissions.CREATE_NOTE
)
def daily_note_add_view(request):
    """A note on the daily as a whole (what the session decided beyond each version)."""
    daily = request.context.entity
    return post_note(request, request.context.project, daily_url(request, daily), daily=daily)
