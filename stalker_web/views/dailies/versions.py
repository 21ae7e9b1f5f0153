"""Filling and ordering an open daily: finding versions by task path or id and adding them,
collecting every version published since a moment, moving a version to another place and
taking one out."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...limits import query_int
from ...models import Task, Type, Version
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.dailies.dailies import is_closed
from ...services.dailies.entries import (
    add_version,
    collect_published,
    find_versions,
    move_entry,
    remove_entry,
)
from ...services.errors import ValidationError
from ..common import in_savepoint, next_url, refuse_and_go
from ..workflow.status import act
from .daily import daily_url, daily_view_page
from .forms import CollectForm, FindForm, MoveForm, PlacedForm

ORDER_CHANGED = (
    "The daily's order changed since you opened this page (someone else is arranging it); "
    "here it is as it is now."
)


def _find_page(request) -> dict:
    daily = request.context.entity
    form = FindForm(request.GET)
    form.validate()
    text = (form.q.data or "").strip() if not form.q.errors else ""
    return {
        "daily": daily,
        "project": request.context.project,
        "form": form,
        "found": find_versions(
            request.dbsession,
            daily,
            request.context.project,
            text,
            parse_page_number(request.GET.get("page")),
        ),
        "closed": is_closed(daily),
    }


@view_config(
    route_name="dailies.versions.add",
    renderer="dailies/add.jinja2",
    request_method="GET",
    permission=Permissions.UPDATE_DAILY,
)
def find_versions_view(request):
    """The project's versions whose task path holds the words typed (or of that id), newest
    first, each with an "Add" button."""
    return _find_page(request)


@view_config(
    route_name="dailies.versions.add", request_method="POST", permission=Permissions.UPDATE_DAILY
)
def add_version_view(request):
    """Put the chosen version last in the daily, then go back to the search."""
    daily = request.context.entity
    back = next_url(request, request.route_url("dailies.versions.add", daily_id=daily.id))
    version_id = query_int(request.POST, "version")
    version = request.dbsession.get(Version, version_id) if version_id is not None else None
    if version is None:
        return refuse_and_go(request, "That version is gone; search again.", back)
    return act(
        request,
        lambda: add_version(request.dbsession, daily, version),
        lambda: f"{version.name} added to {daily.name}, last.",
        back,
    )


def _chosen(request, model, chosen_id: int | None, field: str, message: str):
    if chosen_id is None:
        return None
    row = request.dbsession.get(model, chosen_id)
    if row is None:
        raise ValidationError(message, field)
    return row


@view_config(
    route_name="dailies.versions.collect",
    renderer="dailies/view.jinja2",
    request_method="POST",
    permission=Permissions.UPDATE_DAILY,
)
def collect_view(request):
    """Add every version published since the moment given, under the task and for the step
    chosen; a refused field is shown under it on the daily's page."""
    daily = request.context.entity
    form = CollectForm(request.POST, time_zone=request.time_zone)

    def collect():
        under = _chosen(request, Task, form.under.data, "under", "That task is gone.")
        step = _chosen(request, Type, form.step.data, "step", "That step is gone.")
        return collect_published(request.dbsession, daily, form.since.data, under, step)

    if form.validate():
        try:
            added = in_savepoint(request, collect)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            count = len(added)
            request.session.flash(
                f"{count} version{'s' if count != 1 else ''} added to {daily.name}."
                if count
                else "No version was published then that is not in this daily already; "
                "nothing was added."
            )
            return HTTPSeeOther(daily_url(request, daily))
    request.response.status_int = 400
    return daily_view_page(request, collect_form=form)


def _placed(request, form: PlacedForm) -> HTTPSeeOther | None:
    """A refusal when the page showed another version at this place than the daily holds now."""
    if form.shown_version() != request.context.entity.daily_version_id:
        return refuse_and_go(request, ORDER_CHANGED, daily_url(request, request.context.daily))
    return None


@view_config(
    route_name="dailies.versions.move", request_method="POST", permission=Permissions.UPDATE_DAILY
)
def move_view(request):
    """Move the version to the place asked (kept within the daily)."""
    entry = request.context.entity
    daily = request.context.daily
    form = MoveForm(request.POST)
    back = next_url(request, daily_url(request, daily))
    if not form.validate():
        return refuse_and_go(request, "Say which place to move it to, such as 1.", back)
    return _placed(request, form) or act(
        request,
        lambda: move_entry(request.dbsession, entry, form.to.data),
        lambda: f"{entry.version.name} is now at place {entry.rank}.",
        back,
    )


@view_config(
    route_name="dailies.versions.remove",
    request_method="POST",
    permission=Permissions.UPDATE_DAILY,
)
def remove_view(request):
    """Take the version out of the daily; the ones after it move up."""
    entry = request.context.entity
    daily = request.context.daily
    name = entry.version.name
    form = PlacedForm(request.POST)
    return _placed(request, form) or act(
        request,
        lambda: remove_entry(request.dbsession, entry),
        lambda: f"{name} taken out of {daily.name}.",
        next_url(request, daily_url(request, daily)),
    )
