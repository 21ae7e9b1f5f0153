"""The review inbox: the reviews waiting for the user's answer, with the version to look at,
approve or request a revision (what to change, extra time), and the tasks each answer moves."""

from pyramid.view import view_config

from ...models import Review
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.workflow import reviews as service
from ...services.workflow.pages import dependent_moves, review_inbox
from ..common import next_url, refuse_and_go
from .forms import RevisionForm, review_revision_id_prefix
from .status import act, submit_revision


def inbox_page(request, refused: Review | None = None, form: RevisionForm | None = None) -> dict:
    """What the inbox shows, each review with its own revision form; a ``refused`` revision
    request comes first, its ``form`` showing the errors under their fields."""
    page, moves = review_inbox(
        request.dbsession, request.user, parse_page_number(request.GET.get("page"))
    )
    forms = {
        review.id: RevisionForm(id_prefix=review_revision_id_prefix(review.id))
        for review in page.items
    }
    if refused is not None:
        page.items = [refused, *(review for review in page.items if review.id != refused.id)]
        forms[refused.id] = form
        if refused.task_id not in moves:
            moves.update(dependent_moves(request.dbsession, [refused.task]))
    return {"page": page, "moves": moves, "revision_forms": forms}


@view_config(
    route_name="reviews.inbox",
    renderer="reviews/inbox.jinja2",
    request_method="GET",
    permission=Permissions.VIEW,
)
def review_inbox_view(request):
    """The user's reviews waiting for an answer, oldest first."""
    return inbox_page(request)


@view_config(
    route_name="reviews.answer",
    renderer="reviews/inbox.jinja2",
    request_method="POST",
    permission=Permissions.ANSWER_REVIEW,
)
def review_answer_view(request):
    """``answer=approve``, or ``answer=revise`` with a description and the extra time (a refused
    field is shown under it, on the inbox)."""
    review = request.context.entity
    task = review.task
    url = next_url(request, request.route_url("reviews.inbox"))
    answer = request.POST.get("answer")

    def done(what: str):
        return lambda: f"{what} It is now {task.status.name}."

    if answer == "approve":
        approved = done(f"{task.name} approved.")
        return act(request, lambda: service.approve(request.dbsession, review), approved, url)
    if answer != "revise":
        return refuse_and_go(request, "Choose to approve or to request a revision.", url)
    form = RevisionForm(request.POST, id_prefix=review_revision_id_prefix(review.id))

    def revise():
        service.request_revision(
            request.dbsession,
            review,
            form.schedule_timing.data,
            form.schedule_unit.data,
            form.description.data,
        )

    revised = submit_revision(
        request, form, revise, done(f"Revision requested on {task.name}."), url
    )
    return revised or inbox_page(request, refused=review, form=form)
