"""The walk through a daily: one version a page, the previous version of its task beside it,
previous and next links (the left and right keys with script), and the answer given to it
(approve, or ask for a revision with a note and extra time, optionally with an annotated image),
which drives the review workflow; a refusal is said on the page, the note kept."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...models import DailyOutcome
from ...permissions import Permissions
from ...services.dailies.answers import answer_version
from ...services.dailies.dailies import is_closed
from ...services.dailies.entries import entry_count
from ...services.dailies.walk import walk_page
from ...services.errors import ValidationError
from ...services.tasks.paths import task_path
from ..common import in_savepoint
from ..notes.listing import notes_on_page
from .daily import daily_url
from .forms import AnswerForm
from .versions import ORDER_CHANGED

OUTCOMES = {"approve": DailyOutcome.APPROVED, "revise": DailyOutcome.REVISION}


def walk_view_page(request, form: AnswerForm | None = None) -> dict:
    """What the walk shows of the version at this place; ``form`` is a refused answer."""
    entry = request.context.entity
    data = walk_page(request.dbsession, entry, request.user)
    return {
        "data": data,
        "daily": data.daily,
        "project": request.context.project,
        "closed": is_closed(data.daily),
        "can_answer": bool(request.has_permission(Permissions.ANSWER_REVIEW)),
        "form": form or AnswerForm(id_prefix="answer-"),
        "notes": notes_on_page(request, request.context.project, version=data.version),
    }


@view_config(
    route_name="dailies.walk",
    renderer="dailies/walk.jinja2",
    request_method="GET",
    permission=Permissions.LIST_DAILY,
)
def walk_view(request):
    """The version at this place of the daily, the previous version of its task beside it."""
    return walk_view_page(request)


def _answered(request, entry, outcome: DailyOutcome) -> str:
    path = task_path(request.dbsession, entry.version.task)
    status = entry.version.task.status.name
    if outcome is DailyOutcome.APPROVED:
        return f"{path} approved ({entry.version.label}); it is now {status}."
    return f"Revision asked on {path} ({entry.version.label}); it is now {status}."


@view_config(
    route_name="dailies.answer",
    renderer="dailies/walk.jinja2",
    request_method="POST",
    permission=Permissions.ANSWER_REVIEW,
)
def answer_view(request):
    """``answer=approve`` or ``answer=revise``; then the next version of the daily (or the
    daily's page after the last one). A refusal is shown above the form, status 400."""
    entry = request.context.entity
    daily = request.context.daily
    form = AnswerForm(request.POST, id_prefix="answer-")
    outcome = OUTCOMES.get(request.POST.get("answer"))
    if form.shown_version() != entry.daily_version_id:
        form.form_errors.append(ORDER_CHANGED)
    elif outcome is None:
        form.form_errors.append("Choose to approve or to ask for a revision.")
    elif form.validate():
        try:
            in_savepoint(
                request,
                lambda: answer_version(
                    request.dbsession,
                    entry,
                    request.user,
                    outcome,
                    form.description.data,
                    schedule_timing=form.schedule_timing.data,
                    schedule_unit=form.schedule_unit.data,
                    attachments=form.uploads(),
                ),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            request.session.flash(_answered(request, entry, outcome))
            if entry.rank < entry_count(request.dbsession, daily):
                return HTTPSeeOther(
                    request.route_url("dailies.walk", daily_id=daily.id, rank=entry.rank + 1)
                )
            return HTTPSeeOther(daily_url(request, daily))
    request.response.status_int = 400
    return walk_view_page(request, form)
