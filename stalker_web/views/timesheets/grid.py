"""Saving my week's hours grid in one POST, and submitting the week to my department's leads."""

import re
from datetime import UTC, datetime

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...forms import DAMAGED_HIDDEN_VALUE
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.timesheets import locks
from ...services.timesheets.grid import GridRefused, parse_hours, save_week_grid
from ...services.transactions import savepoint
from ..common import readable_projects
from ..workflow.timesheet import log_form, this_monday, week_page

# A cell's input: hours-<task id>-<day index 0..6>.
CELL_NAME = re.compile(r"hours-(\d{1,10})-([0-6])", re.ASCII)
CELL_MAX_LENGTH = 16
MAX_CELLS = 7 * 1000
FINGERPRINT_MAX_LENGTH = 64


def typed_cells(params) -> tuple[dict[tuple[int, int], str], dict[tuple[int, int], str]]:
    """The cells posted (as typed) and the problems of those that are not hours."""
    typed, problems = {}, {}
    for name, value in params.items():
        match = CELL_NAME.fullmatch(name)
        if match is None or len(typed) >= MAX_CELLS:
            continue
        key = (int(match.group(1)), int(match.group(2)))
        typed[key] = value[: CELL_MAX_LENGTH * 4]
        if len(value) > CELL_MAX_LENGTH:
            problems[key] = f"Use at most {CELL_MAX_LENGTH} characters."
            continue
        try:
            parse_hours(value)
        except ValueError as error:
            problems[key] = str(error)
    return typed, problems


@view_config(
    route_name="my.timesheet.grid",
    renderer="timesheet/week.jinja2",
    request_method="POST",
    permission=Permissions.VIEW,
)
def grid_save_view(request):
    """Save the whole grid: every cell or nothing; refused cells come back as typed, with their
    problem beside them and a summary on top."""
    monday = this_monday(request)
    here = request.route_url("my.timesheet", _query={"week": locks.week_label(monday)})
    typed, problems = typed_cells(request.POST)
    fingerprint = request.POST.get("fingerprint", "")[:FINGERPRINT_MAX_LENGTH]
    form = log_form(request, monday)
    if not fingerprint:
        request.response.status_int = 400
        return week_page(request, monday, form, grid_errors=[DAMAGED_HIDDEN_VALUE])
    if not problems:
        wanted = {key: parse_hours(text) for key, text in typed.items()}
        try:
            with savepoint(request.dbsession):
                changed = save_week_grid(
                    request.dbsession,
                    request.user,
                    monday,
                    request.time_zone,
                    wanted,
                    fingerprint,
                    readable_projects(request),
                )
        except GridRefused as refusal:
            if refusal.stale:
                request.response.status_int = 409
                return week_page(request, monday, form, grid_errors=[refusal.message])
            problems = refusal.problems
        else:
            request.session.flash(
                f"Your week is saved ({changed} day{'s' if changed != 1 else ''} changed)."
                if changed
                else "Nothing changed: the grid already held these hours."
            )
            return HTTPSeeOther(here + "#hours")
    request.response.status_int = 400
    return week_page(
        request,
        monday,
        form,
        typed=typed,
        problems=problems,
        grid_errors=["Nothing was saved. Fix these hours and save again:"],
    )


@view_config(
    route_name="my.timesheet.submit",
    request_method="POST",
    permission=Permissions.VIEW,
)
def submit_view(request):
    """Submit my week to the leads of my department (it stays editable until a lead locks it)."""
    monday = this_monday(request)
    label = locks.week_label(monday)
    here = request.route_url("my.timesheet", _query={"week": label})
    try:
        with savepoint(request.dbsession):
            locks.submit_week(
                request.dbsession, request.user, monday, request.time_zone, datetime.now(UTC)
            )
    except ValidationError as error:
        request.session.flash(error.message, "error")
        return HTTPSeeOther(here)
    request.session.flash(f"Week {label} submitted to your department's leads.")
    return HTTPSeeOther(here)
