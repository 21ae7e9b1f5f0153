"""The review inbox: the reviews waiting for the user's answer, with the version to look at (its
pictures and videos shown) and the note the request came with; approve (with an optional note)
or request a revision (what to change, extra time), either with an annotated image, and the
tasks each answer moves; then the user's answers in rounds still open, each of which may be
changed."""

from pyramid.view import view_config

from ...models import Review, ReviewStatus
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.tasks.paths import task_path, task_paths
from ...services.versions.media import first_thumbnail, version_media
from ...services.versions.thumbnails import latest_thumbnails
from ...services.workflow import reviews as service
from ...services.workflow.pages import dependent_moves, review_inbox
from ...services.workflow.review_notes import review_notes
from ..common import next_url, refuse_and_go
from .forms import AnswerRevisionForm, ApprovalForm, review_revision_id_prefix
from .status import submit_revision


def answer_revision_id_prefix(review_id: int) -> str:
    """The ids of the revision form that changes an approval already given."""
    return f"answer-{review_id}-"


def revision_id_prefix(review: Review) -> str:
    """The ids of ``review``'s revision form: a waiting review's, or a given answer's."""
    if review.status is ReviewStatus.NEW:
        return review_revision_id_prefix(review.id)
    return answer_revision_id_prefix(review.id)


def approval_id_prefix(review_id: int) -> str:
    """The ids of the approval form (its note and image) of one review of the inbox."""
    return f"approve-{review_id}-"


def inbox_page(
    request,
    refused: Review | None = None,
    form: AnswerRevisionForm | ApprovalForm | None = None,
) -> dict:
    """What the inbox shows, each review with its approval and revision forms, the version to
    look at (its files shown, else the picture of the task's latest version) and the note the
    request came with; a ``refused`` answer comes first (or, changing a given answer, keeps its
    place), its ``form`` showing the errors under their fields."""
    page, moves = review_inbox(
        request.dbsession, request.user, parse_page_number(request.GET.get("page"))
    )
    answers = service.changeable_answers(request.dbsession, request.user)
    forms = {
        review.id: AnswerRevisionForm(id_prefix=review_revision_id_prefix(review.id))
        for review in page.items
    }
    forms.update(
        (
            answer.review.id,
            AnswerRevisionForm(id_prefix=answer_revision_id_prefix(answer.review.id)),
        )
        for answer in answers
    )
    approvals = {
        review.id: ApprovalForm(id_prefix=approval_id_prefix(review.id)) for review in page.items
    }
    if refused is not None and refused.status is ReviewStatus.NEW:
        page.items = [refused, *(review for review in page.items if review.id != refused.id)]
        if refused.task_id not in moves:
            moves.update(dependent_moves(request.dbsession, [refused.task]))
    if isinstance(form, ApprovalForm):
        approvals[refused.id] = form
    elif refused is not None:
        forms[refused.id] = form
    shown = {review.task for review in page.items}
    shown.update(answer.review.task for answer in answers)
    shown.update(move.task for task_moves in moves.values() for move in task_moves)
    reviewed = [review.task_id for review in page.items]
    reviewed += [answer.review.task_id for answer in answers]
    listed = [*page.items, *(answer.review for answer in answers)]
    media = version_media(
        request.dbsession, {review.reviewed_version_id for review in listed} - {None}
    )
    latest = latest_thumbnails(request.dbsession, reviewed)
    return {
        "page": page,
        "moves": moves,
        "revision_forms": forms,
        "approval_forms": approvals,
        "answers": answers,
        "paths": task_paths(request.dbsession, shown),
        # The picture of each review: its version's, else the task's latest.
        "pictures_of": {
            review.id: first_thumbnail(media.get(review.reviewed_version_id, []))
            or latest.get(review.task_id)
            for review in listed
        },
        "media": media,
        "review_notes": review_notes(request.dbsession, listed),
    }


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
    field is shown under it, on the inbox); also to change an answer while the round is open."""
    review = request.context.entity
    task = review.task
    url = next_url(request, request.route_url("reviews.inbox"))
    answer = request.POST.get("answer")
    path = task_path(request.dbsession, task)

    def done(what: str):
        return lambda: f"{what} It is now {task.status.name}."

    if answer == "approve":
        approval = ApprovalForm(request.POST, id_prefix=approval_id_prefix(review.id))

        def approve():
            service.approve(
                request.dbsession,
                review,
                approval.description.data or "",
                author=request.user,
                attachments=approval.uploads(),
            )

        approved = submit_revision(request, approval, approve, done(f"{path} approved."), url)
        return approved or inbox_page(request, refused=review, form=approval)
    if answer != "revise":
        return refuse_and_go(request, "Choose to approve or to request a revision.", url)
    form = AnswerRevisionForm(request.POST, id_prefix=revision_id_prefix(review))

    def revise():
        service.request_revision(
            request.dbsession,
            review,
            form.schedule_timing.data,
            form.schedule_unit.data,
            form.description.data,
            author=request.user,
            attachments=form.uploads(),
        )

    revised = submit_revision(request, form, revise, done(f"Revision requested on {path}."), url)
    return revised or inbox_page(request, refused=review, form=form)
