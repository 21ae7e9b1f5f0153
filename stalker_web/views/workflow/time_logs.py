"""Time-log pages: log time on a task, edit or delete a log (the rules: services/time_logs.py).

The resource of a new log is the user logging it; the dates are UTC to the minute.
"""

from datetime import UTC

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config
from wtforms import DateTimeLocalField, HiddenField, TextAreaField
from wtforms.validators import InputRequired

from ...forms import BaseForm, VersionedForm, submit_form
from ...permissions import Permissions
from ...services.accounts.readable_projects import ReadableProjects
from ...services.errors import ValidationError
from ...services.transactions import savepoint
from ...services.workflow import time_logs as service
from .. import same_site_url
from ..tasks.forms import DATETIME_FORMAT, DATETIME_MESSAGE


def _moment(label: str) -> DateTimeLocalField:
    return DateTimeLocalField(
        label,
        [InputRequired(DATETIME_MESSAGE)],
        format=[DATETIME_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        tz=UTC,
        invalid_value_message=DATETIME_MESSAGE,
    )


class TimeLogForm(BaseForm):
    """A log's start and end (UTC) and what was done; ``next`` is the page to go back to."""

    start = _moment("Start (UTC)")
    end = _moment("End (UTC)")
    description = TextAreaField("What you did")
    next = HiddenField()


class TimeLogEditForm(TimeLogForm, VersionedForm):
    """The log form with the version the page was loaded at."""


def next_url(request, default: str) -> str:
    """The ``next`` page of the request when it is a path on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next")
    return same_site_url(request, target) or default


def _next_path(request) -> str:
    """The ``?next=`` page a form carries back, when it is a path on this site."""
    target = request.GET.get("next", "")
    return target if same_site_url(request, target) else ""


def refuse_and_go(request, message: str, url: str) -> HTTPSeeOther:
    """Flash ``message`` as an error and go to ``url``; the transaction is not committed."""
    request.session.flash(message, "error")
    return HTTPSeeOther(url, headers=[("X-Tm", "abort")])


def readable_projects(request) -> ReadableProjects:
    """The projects the user may read tasks of, for what refusals may name."""
    every = request.studio_permits(Permissions.READ_TASK)
    return ReadableProjects.of(request.user, every=every)


def in_savepoint(request, action):
    """Run ``action()`` in a SAVEPOINT, undone when it raises ValidationError (re-raised)."""
    with savepoint(request.dbsession):
        return action()


@view_config(
    route_name="tasks.time_logs.add",
    renderer="timesheet/time_log_form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_TIME_LOG,
)
def time_log_add_view(request):
    """GET: the log form for this task; POST: log the user's time on it."""
    task = request.context.entity
    form = TimeLogForm(request.POST)
    task_url = request.route_url("tasks.view", task_id=task.id)

    def save():
        in_savepoint(
            request,
            lambda: service.create_time_log(
                request.dbsession,
                task,
                request.user,
                form.start.data,
                form.end.data,
                form.description.data,
                readable=readable_projects(request),
            ),
        )
        return f"Time logged on {task.name}.", next_url(request, task_url)

    if request.method == "GET":
        form.next.data = _next_path(request)
    return submit_form(request, form, save) or {"form": form, "task": task, "time_log": None}


@view_config(
    route_name="time_logs.edit",
    renderer="timesheet/time_log_form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_TIME_LOG,
)
def time_log_edit_view(request):
    """Move a log or change its description; every rule is checked again."""
    time_log = request.context.entity
    form = TimeLogEditForm(request.POST, obj=time_log)
    task = time_log.task

    def save():
        in_savepoint(
            request,
            lambda: service.update_time_log(
                request.dbsession,
                time_log,
                start=form.start.data,
                end=form.end.data,
                description=form.description.data,
                submitted_version=form.submitted_version(),
                readable=readable_projects(request),
            ),
        )
        default = request.route_url("tasks.view", task_id=task.id)
        return "Time log changed.", next_url(request, default)

    if request.method == "GET":
        form.next.data = _next_path(request)
    return submit_form(request, form, save) or {"form": form, "task": task, "time_log": time_log}


@view_config(
    route_name="time_logs.delete", request_method="POST", permission=Permissions.DELETE_TIME_LOG
)
def time_log_delete_view(request):
    """Delete a log, then back to where the user came from (the task page by default)."""
    time_log = request.context.entity
    task = time_log.task
    url = next_url(request, request.route_url("tasks.view", task_id=task.id))
    form = VersionedForm(request.POST)
    try:
        in_savepoint(
            request,
            lambda: service.delete_time_log(
                request.dbsession, time_log, submitted_version=form.submitted_version()
            ),
        )
    except ValidationError as error:
        return refuse_and_go(request, error.message, url)
    request.session.flash(f"Time log on {task.name} deleted.")
    return HTTPSeeOther(url)
