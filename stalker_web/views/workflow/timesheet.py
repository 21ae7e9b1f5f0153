"""The weekly timesheet (``?week=2026-W48``, days of the user's zone): the week's time logs by
day with edit/delete links, the form adding a log from a start to an end, and the hours grid
(saved by ``views/timesheets/grid.py``)."""

from datetime import UTC, date, datetime, timedelta

from pyramid.view import view_config

from ...forms import select_choices, submit_form
from ...limits import FIRST_YEAR, LAST_YEAR
from ...models import Task, WeekState
from ...permissions import Permissions
from ...resources import TaskResource
from ...services.errors import ValidationError
from ...services.tasks.paths import task_path
from ...services.tasks.progress import format_work_time
from ...services.timesheets.grid import format_hours, load_week_grid
from ...services.timesheets.locks import state_text, week_label
from ...services.workflow import rules
from ...services.workflow import time_logs as service
from ...services.workflow.pages import tasks_to_log_on
from ...time_zones import local_day
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


def log_form(request, monday: date) -> TimesheetLogForm:
    """The interval form, offering the user's tasks that take time."""
    form = TimesheetLogForm(request.POST, time_zone=request.time_zone)
    choices = tasks_to_log_on(request.dbsession, request.user)
    form.task.choices = select_choices(
        [("", "Choose a task")] + [(task.id, path) for task, path in choices]
    )
    return form


def this_monday(request) -> date:
    """The Monday of the ``week`` asked for, in the user's zone (this week by default)."""
    return parse_week(request.params.get("week"), local_day(datetime.now(UTC), request.time_zone))


def week_page(
    request,
    monday: date,
    form: TimesheetLogForm,
    *,
    typed: dict[tuple[int, int], str] | None = None,
    problems: dict[tuple[int, int], str] | None = None,
    grid_errors: list[str] | None = None,
) -> dict:
    """The week page's values: the logs by day, the interval form and the hours grid (with what
    the user typed and each cell's problem when a save was refused)."""
    dbsession, user, zone = request.dbsession, request.user, request.time_zone
    grid = load_week_grid(dbsession, user, monday, zone)
    logs = grid.logs
    paths = {row.task.id: row.path for row in grid.rows}
    days = list(grid.days)
    by_day = {day: [log for log in logs if local_day(log.start, zone) == day] for day in days}
    label = week_label(monday)
    cells = {
        (row.task.id, index): format_hours(seconds)
        for row in grid.rows
        for index, seconds in enumerate(row.seconds)
    }
    problems = problems or {}
    summary = [
        f"{paths.get(task_id, 'A task no longer in the grid')}, {days[index]:%a %d %b}: {message}"
        for (task_id, index), message in sorted(problems.items())
        if 0 <= index < len(days)
    ]
    return {
        "form": form,
        "days": days,
        "grid": by_day,
        "paths": paths,
        "week": label,
        "previous_week": week_label(monday - timedelta(days=7)),
        "next_week": week_label(monday + timedelta(days=7)),
        "day_totals": {day: service.total_seconds(by_day[day]) for day in days},
        "week_total": format_work_time(service.total_seconds(logs), 10**6),
        "format_hours": lambda seconds: format_work_time(seconds, 10**6),
        "here_path": f"{request.path}?week={label}",
        "hours": grid,
        "cells": cells | (typed or {}),
        "problems": problems,
        "grid_errors": (grid_errors or []) + summary,
        "cell_hours": format_hours,
        "week_state": state_text(grid.week, zone),
        "may_submit": grid.week is None or grid.week.state is not WeekState.LOCKED,
        "locked": grid.week is not None and grid.week.state is WeekState.LOCKED,
    }


@view_config(
    route_name="my.timesheet",
    renderer="timesheet/week.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.VIEW,
)
def timesheet_view(request):
    """GET: the week's logs and hours grid; POST: log time on the chosen task from a start to
    an end (the task's rules apply)."""
    dbsession, user = request.dbsession, request.user
    monday = this_monday(request)
    form = log_form(request, monday)
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

    return submit_form(request, form, save) or week_page(request, monday, form)
