"""Status actions on a task (POST /tasks/<id>/status/<action>): request a review, request a
revision, hold, stop and resume. Each action has its own permission; a refusal is flashed on
the page the user came from and nothing is saved."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config
from wtforms import FloatField, SelectField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from ...forms import BaseForm, optional_int
from ...models import Version
from ...models.schedule import TimeUnit
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.workflow import actions as workflow
from ...services.workflow import reviews
from ..tasks.forms import UNIT_LABELS, enum_choices
from .time_logs import in_savepoint, next_url, refuse_and_go


class ReviewRequestForm(BaseForm):
    """The version to review (optional)."""

    version = SelectField("Version", coerce=optional_int, validate_choice=False)


class RevisionForm(BaseForm):
    """What needs to change and how much more time it needs."""

    description = TextAreaField(
        "What needs to change", [InputRequired("Say what needs to change.")]
    )
    schedule_timing = FloatField(
        "Extra time",
        [InputRequired("Enter the extra time, such as 2."), NumberRange(min=0)],
        default=1.0,
        invalid_value_message="Enter the extra time, such as 2.",
    )
    schedule_unit = SelectField(
        "Unit", choices=enum_choices(TimeUnit, UNIT_LABELS), default="h", validate_choice=False
    )


def first_error(form: BaseForm) -> str:
    """The first field error of ``form``, for a flash message."""
    for field in form:
        if field.errors:
            return f"{field.label.text}: {field.errors[0]}"
    return "Check the form and try again."


def _act(request, action, done: str):
    """Run ``action()`` (a service call) and go back with ``done`` or the refusal."""
    task = request.context.entity
    url = next_url(request, request.route_url("tasks.view", task_id=task.id))
    try:
        in_savepoint(request, action)
    except ValidationError as error:
        return refuse_and_go(request, error.message, url)
    request.session.flash(done)
    return HTTPSeeOther(url)


@view_config(
    route_name="tasks.status",
    match_param="action=request_review",
    request_method="POST",
    permission=Permissions.REQUEST_REVIEW,
)
def request_review_view(request):
    """WIP -> PREV, one review per responsible user (optionally about one version)."""
    task = request.context.entity
    form = ReviewRequestForm(request.POST)
    form.validate()
    version = None
    if form.version.data is not None:
        version = request.dbsession.get(Version, form.version.data)
        if version is None or version.task_id != task.id:
            url = next_url(request, request.route_url("tasks.view", task_id=task.id))
            return refuse_and_go(request, "Choose a version of this task to review.", url)
    return _act(
        request,
        lambda: reviews.request_review(request.dbsession, task, request.user, version),
        f"Review requested for {task.name}.",
    )


@view_config(
    route_name="tasks.status",
    match_param="action=request_revision",
    request_method="POST",
    permission=Permissions.ANSWER_REVIEW,
)
def request_revision_view(request):
    """Send a pending or completed task back to work (HREV) with what to change."""
    task = request.context.entity
    form = RevisionForm(request.POST)
    if not form.validate():
        url = next_url(request, request.route_url("tasks.view", task_id=task.id))
        return refuse_and_go(request, first_error(form), url)
    return _act(
        request,
        lambda: reviews.task_request_revision(
            request.dbsession,
            task,
            request.user,
            form.description.data,
            form.schedule_timing.data,
            form.schedule_unit.data,
        ),
        f"{task.name} was sent back for a revision.",
    )


def _simple(name: str, service, done: str):
    @view_config(
        route_name="tasks.status",
        match_param=f"action={name}",
        request_method="POST",
        permission=Permissions.UPDATE_TASK,
    )
    def view(request):
        task = request.context.entity
        return _act(request, lambda: service(request.dbsession, task), done.format(task.name))

    view.__name__ = f"{name}_view"
    view.__doc__ = f"The {name} action of the status workflow."
    return view


hold_view = _simple("hold", workflow.hold, "{} is on hold.")
stop_view = _simple("stop", workflow.stop, "{} is stopped.")
resume_view = _simple("resume", workflow.resume, "{} is resumed.")
