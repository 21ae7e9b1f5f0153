"""The review inbox: the reviews waiting for the user's answer, with the version to look at,
approve or request a revision (what to change, extra time), and the tasks each answer moves."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.workflow import reviews as service
from ...services.workflow.pages import review_inbox
from .status import RevisionForm, first_error
from .time_logs import in_savepoint, next_url, refuse_and_go


@view_config(
    route_name="reviews.inbox",
    renderer="reviews/inbox.jinja2",
    request_method="GET",
    permission=Permissions.VIEW,
)
def review_inbox_view(request):
    """The user's reviews waiting for an answer, oldest first."""
    page, moves = review_inbox(
        request.dbsession, request.user, parse_page_number(request.GET.get("page"))
    )
    return {"page": page, "moves": moves, "revision_form": RevisionForm()}


@view_config(
    route_name="reviews.answer", request_method="POST", permission=Permissions.ANSWER_REVIEW
)
def review_answer_view(request):
    """``answer=approve``, or ``answer=revise`` with a description and the extra time."""
    review = request.context.entity
    task = review.task
    url = next_url(request, request.route_url("reviews.inbox"))
    answer = request.POST.get("answer")
    if answer == "approve":
        action = lambda: service.approve(request.dbsession, review)  # noqa: E731
        done = f"{task.name} approved."
    elif answer == "revise":
        form = RevisionForm(request.POST)
        if not form.validate():
            return refuse_and_go(request, first_error(form), url)
        action = lambda: service.request_revision(  # noqa: E731
            request.dbsession,
            review,
            form.schedule_timing.data,
            form.schedule_unit.data,
            form.description.data,
        )
        done = f"Revision requested on {task.name}."
    else:
        return refuse_and_go(request, "Choose to approve or to request a revision.", url)
    try:
        in_savepoint(request, action)
    except ValidationError as error:
        return refuse_and_go(request, error.message, url)
    request.session.flash(f"{done} It is now {task.status.name}.")
    return HTTPSeeOther(url)
