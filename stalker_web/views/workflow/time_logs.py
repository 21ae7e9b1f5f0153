"""Time-log pages: log time on a task, edit or delete a log (the rules:
services/workflow/time_logs.py).

The resource of a new log is the user logging it; the dates are UTC to the minute.
"""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...forms import VersionedForm, submit_form
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.tasks.paths import task_path
from ...services.workflow import rules
from ...services.workflow import time_logs as service
from ..common import in_savepoint, next_path, next_url, readable_projects, refuse_and_go
from .action_permissions import ACTION_PERMISSIONS
from .forms import TimeLogEditForm, TimeLogForm


@view_config(
    route_name="tasks.time_logs.add",
    renderer="timesheet/time_log_form.jinja2",
    request_method=("GET", "POST"),
    permission=ACTION_PERMISSIONS[rules.LOG_TIME],
)
def time_log_add_view(request):
    """GET: the log form for this task; POST: log the user's time on it."""
    task = request.context.entity
    form = TimeLogForm(request.POST, time_zone=request.time_zone)
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
        return f"Time logged on {path}.", next_url(request, task_url)

    path = task_path(request.dbsession, task)
    if request.method == "GET":
        form.next.data = next_path(request)
    return submit_form(request, form, save) or {
        "form": form,
        "task": task,
        "task_path": path,
        "time_log": None,
    }


@view_config(
    route_name="time_logs.edit",
    renderer="timesheet/time_log_form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_TIME_LOG,
)
def time_log_edit_view(request):
    """Move a log or change its description; every rule is checked again."""
    time_log = request.context.entity
    form = TimeLogEditForm(request.POST, obj=time_log, time_zone=request.time_zone)
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
        form.next.data = next_path(request)
    return submit_form(request, form, save) or {
        "form": form,
        "task": task,
        "task_path": task_path(request.dbsession, task),
        "time_log": time_log,
    }


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
    path = task_path(request.dbsession, task)
    request.session.flash(f"Time log on {path} deleted.")
    return HTTPSeeOther(url)
