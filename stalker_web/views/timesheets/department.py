"""A department's timesheets for its leads: each member's week with its hours and state, and
locking or unlocking a submitted week (``/departments/<id>/timesheets?week=2026-W11``)."""

from datetime import UTC, datetime, timedelta

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...forms import optional_int
from ...models import DepartmentUser, User
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.tasks.progress import format_work_time
from ...services.timesheets import locks
from ...services.timesheets.department import department_weeks
from ...services.transactions import savepoint
from ..workflow.timesheet import this_monday

ACTIONS = ("lock", "unlock")


@view_config(
    route_name="departments.timesheets",
    renderer="timesheet/department.jinja2",
    request_method="GET",
    permission=Permissions.LOCK_TIMESHEETS,
)
def department_timesheets_view(request):
    department = request.context.entity
    monday = this_monday(request)
    label = locks.week_label(monday)
    rows = department_weeks(request.dbsession, department, monday, request.time_zone)
    return {
        "department": department,
        "rows": rows,
        "week": label,
        "monday": monday,
        "previous_week": locks.week_label(monday - timedelta(days=7)),
        "next_week": locks.week_label(monday + timedelta(days=7)),
        "hours": lambda seconds: format_work_time(seconds, 10**6),
        "state_text": lambda week: locks.state_text(week, request.time_zone),
    }


def _member(request, department) -> User:
    """The member named by the form's ``user_id``; refused in words when not one."""
    user_id = optional_int(request.POST.get("user_id"))
    member = None
    if user_id is not None:
        member = request.dbsession.get(DepartmentUser, (department.id, user_id))
    if member is None:
        raise ValidationError(f"Choose a member of {department.name}.")
    return member.user


@view_config(
    route_name="departments.timesheets.lock",
    request_method="POST",
    permission=Permissions.LOCK_TIMESHEETS,
)
def lock_view(request):
    """Lock (or unlock) a member's submitted week; refusals come back as a message."""
    department = request.context.entity
    monday = this_monday(request)
    label = locks.week_label(monday)
    back = request.route_url(
        "departments.timesheets", department_id=department.id, _query={"week": label}
    )
    action = request.POST.get("action", "")
    try:
        if action not in ACTIONS:
            raise ValidationError("Unknown action; use the Lock and Unlock buttons.")
        member = _member(request, department)
        with savepoint(request.dbsession):
            if action == "lock":
                locks.lock_week(request.dbsession, member, monday, request.user, datetime.now(UTC))
            else:
                locks.unlock_week(request.dbsession, member, monday)
    except ValidationError as error:
        request.session.flash(error.message, "error")
        return HTTPSeeOther(back)
    request.session.flash(f"{member.name}'s week {label} is {action}ed.")
    return HTTPSeeOther(back)
