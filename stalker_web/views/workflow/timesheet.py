"""The weekly timesheet: a Monday-to-Sunday grid of the user's time logs (``?week=2026-W48``),
with a form adding a log to one of their tasks, and edit/delete links on each log."""

from datetime import UTC, date, datetime, timedelta

from pyramid.view import view_config

from ...forms import select_choices, submit_form
from ...limits import FIRST_YEAR, LAST_YEAR
from ...models import Task
from ...permissions import Permissions
from ...resources import TaskResource
from ...services.errors import ValidationError
from ...services.tasks.paths import task_path, task_paths
from ...services.tasks.progress import format_work_time, studio_calendar
from ...services.workflow import rules
from ...services.workflow import time_logs as service
from ...services.workflow.pages import my_tasks_page
from ...time_zones import day_bounds, local_day
from ..common import in_savepoint, readable_projects
from .action_permissions import ACTION_PERMISSIONS
from .forms import TimesheetLogForm


def parse_week(raw: str | None, today: date) -> date:
    """The Monday of ISO week ``raw`` ("2026-W48"); this week when missing or malformed."""
    try:
        year, week = (raw or "").upper().split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        monday = None
    if monday is None or not FIRST_YEAR <= monday.year <= LAST_YEAR:
        return today - timedelta(days=today.weekday())
    return monday


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


@view_config(
    route_name="my.timesheet",
    renderer="timesheet/week.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.VIEW,
)
def timesheet_view(request):
    """GET: the week's grid; POST: log time on the chosen task (the task's rules apply)."""
    dbsession, user = request.dbsession, request.user
    zone = request.time_zone
    monday = parse_week(request.params.get("week"), local_day(datetime.now(UTC), zone))
    start, end = day_bounds(monday, zone)[0], day_bounds(monday + timedelta(days=6), zone)[1]
    form = TimesheetLogForm(request.POST, time_zone=request.time_zone)
    mine = my_tasks_page(dbsession, user, 1, per_page=200)
    choices = [task for task in mine.page.items if rules.allowed(rules.LOG_TIME, task.status.code)]
    form.task.choices = select_choices(
        [("", "Choose a task")] + [(task.id, mine.paths[task.id]) for task in choices]
    )
    here = request.route_url("my.timesheet", _query={"week": week_label(monday)})

    def save():
        task = dbsession.get(Task, form.task.data) if form.task.data else None
        if task is None:
            raise ValidationError("Choose a task.", "task")
        context = TaskResource(task, request)
        if not request.has_permission(ACTION_PERMISSIONS[rules.LOG_TIME], context):
            readable = request.has_permission(Permissions.READ_TASK, context)
            raise ValidationError(
                f"You may not log time on {task.name if readable else 'that task'}.", "task"
            )
        in_savepoint(
            request,
            lambda: service.create_time_log(
                dbsession,
                task,
                user,
                form.start.data,
                form.end.data,
                form.description.data,
                readable=readable_projects(request),
            ),
        )
        return f"Time logged on {task_path(dbsession, task)}.", here

    response = submit_form(request, form, save)
    if response is not None:
        return response
    logs = service.time_logs_between(dbsession, user, start, end)
    paths = task_paths(dbsession, {log.task for log in logs})
    days = [monday + timedelta(days=offset) for offset in range(7)]
    grid = {day: [log for log in logs if local_day(log.start, zone) == day] for day in days}
    daily_hours = studio_calendar(dbsession).daily_working_hours
    return {
        "form": form,
        "days": days,
        "grid": grid,
        "paths": paths,
        "week": week_label(monday),
        "previous_week": week_label(monday - timedelta(days=7)),
        "next_week": week_label(monday + timedelta(days=7)),
        "day_totals": {day: service.total_seconds(grid[day]) for day in days},
        "week_total": format_work_time(service.total_seconds(logs), 10**6),
        "format_hours": lambda seconds: format_work_time(seconds, 10**6),
        "daily_hours": daily_hours,
        "here_path": f"{request.path}?week={week_label(monday)}",
    }
