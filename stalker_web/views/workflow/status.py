"""Status actions on a task (POST /tasks/<id>/status/<action>): request a review, request a
revision, hold, stop and resume. Each action needs the permission ACTION_PERMISSIONS names; a
refusal is flashed on the page the user came from and nothing is saved, except that a refused
field of the revision form is shown under it on the task page."""

from collections.abc import Callable

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...forms import BaseForm
from ...models import Version
from ...services.errors import ValidationError
from ...services.tasks.paths import task_path
from ...services.workflow import actions as workflow
from ...services.workflow import reviews, rules
from ..common import in_savepoint, next_url, refuse_and_go
from ..tasks.task_page import task_page
from .action_permissions import ACTION_PERMISSIONS
from .forms import TASK_REVISION_ID_PREFIX, ReviewRequestForm, RevisionForm


def act(request, action, done: Callable[[], str], url: str, form: BaseForm | None = None):
    """Run ``action()`` (a service call) in a savepoint, then flash ``done()`` and go to ``url``.

    A refusal is flashed on ``url`` and nothing is saved; one about a field of ``form`` goes
    under that field instead, with the status 400, and None is returned: the view renders its
    page again.
    """
    try:
        in_savepoint(request, action)
    except ValidationError as error:
        if form is None or error.field not in form:
            return refuse_and_go(request, error.message, url)
        form.add_service_error(error)
        request.response.status_int = 400
        return None
    request.session.flash(done())
    return HTTPSeeOther(url)


def submit_revision(request, form: BaseForm, revise, done: Callable[[], str], url: str):
    """Validate ``form``, then :func:`act`; None (status 400) when a field is refused."""
    if not form.validate():
        request.response.status_int = 400
        return None
    return act(request, revise, done, url, form)


def _back_url(request) -> str:
    """The page the user came from (``next``), else the task page."""
    return next_url(request, request.route_url("tasks.view", task_id=request.context.entity.id))


@view_config(
    route_name="tasks.status",
    match_param=f"action={rules.REQUEST_REVIEW}",
    request_method="POST",
    permission=ACTION_PERMISSIONS[rules.REQUEST_REVIEW],
)
def request_review_view(request):
    """WIP -> PREV, one review per responsible user, about the version chosen (the latest when
    none is named) and with the note saying what to look at."""
    task = request.context.entity
    form = ReviewRequestForm(request.POST)
    if not form.validate():
        errors = [f"{field.label.text} {message}" for field in form for message in field.errors]
        return refuse_and_go(request, " ".join(errors), _back_url(request))
    version = None
    if form.version.data is not None:
        version = request.dbsession.get(Version, form.version.data)
        if version is None or version.task_id != task.id:
            return refuse_and_go(
                request, "Choose a version of this task to review.", _back_url(request)
            )
    return act(
        request,
        lambda: reviews.request_review(
            request.dbsession, task, request.user, version, form.note.data or ""
        ),
        lambda: f"Review requested for {task_path(request.dbsession, task)}.",
        _back_url(request),
    )


@view_config(
    route_name="tasks.status",
    match_param=f"action={rules.REQUEST_REVISION}",
    request_method="POST",
    permission=ACTION_PERMISSIONS[rules.REQUEST_REVISION],
    renderer="tasks/view.jinja2",
)
def request_revision_view(request):
    """Send a pending or completed task back to work (HREV) with what to change."""
    task = request.context.entity
    form = RevisionForm(request.POST, id_prefix=TASK_REVISION_ID_PREFIX)

    def revise():
        reviews.task_request_revision(
            request.dbsession,
            task,
            request.user,
            form.description.data,
            form.schedule_timing.data,
            form.schedule_unit.data,
        )

    done = submit_revision(
        request,
        form,
        revise,
        lambda: f"{task_path(request.dbsession, task)} was sent back for a revision.",
        _back_url(request),
    )
    return done or task_page(request, revision_form=form)


def _simple(name: str, service, done: str):
    @view_config(
        route_name="tasks.status",
        match_param=f"action={name}",
        request_method="POST",
        permission=ACTION_PERMISSIONS[name],
    )
    def view(request):
        task = request.context.entity
        return act(
            request,
            lambda: service(request.dbsession, task),
            lambda: done.format(task_path(request.dbsession, task)),
            _back_url(request),
        )

    view.__name__ = f"{name}_view"
    view.__doc__ = f"The {name} action of the status workflow."
    return view


hold_view = _simple(rules.HOLD, workflow.hold, "{} is on hold.")
stop_view = _simple(rules.STOP_ACTION, workflow.stop, "{} is stopped.")
resume_view = _simple(rules.RESUME, workflow.resume, "{} is resumed.")
