"""A department's weeks for its leads: each member, what they logged that week and whether they
submitted it or a lead locked it, in a fixed number of queries whatever the department's size."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import Department, DepartmentUser, TimeLog, TimesheetWeek, User
from .locks import week_bounds


@dataclass(frozen=True)
class MemberWeek:
    """A member of the department, their week's row (None: not submitted) and logged seconds."""

    user: User
    week: TimesheetWeek | None
    logged_seconds: float


def department_weeks(
    dbsession: Session, department: Department, monday: date, time_zone: str | None
) -> list[MemberWeek]:
    """Every member of ``department`` with their week of ``monday``, by name (three queries).
    A submitted week counts the logs inside its own bounds (the member's zone when they
    submitted); another one the Monday-to-Sunday of ``time_zone``."""
    members = list(
        dbsession.scalars(
            select(User)
            .join(DepartmentUser, DepartmentUser.user_id == User.id)
            .where(DepartmentUser.department_id == department.id)
            .order_by(User.name, User.id)
        ).unique()
    )
    ids = [member.id for member in members]
    weeks = {
        week.user_id: week
        for week in dbsession.scalars(
            select(TimesheetWeek)
            .where(TimesheetWeek.user_id.in_(ids), TimesheetWeek.week_start == monday)
            .options(joinedload(TimesheetWeek.locked_by))
        )
    }
    start, end = week_bounds(monday, time_zone)
    # Any zone's week lies within a day of this one: read that span once, count per member.
    logs = dbsession.execute(
        select(TimeLog.resource_id, TimeLog.start, TimeLog.end).where(
            TimeLog.resource_id.in_(ids),
            TimeLog.start >= start - timedelta(days=1),
            TimeLog.start < end + timedelta(days=1),
        )
    ).all()
    logged = dict.fromkeys(ids, 0.0)
    for user_id, first, last in logs:
        week = weeks.get(user_id)
        low, high = (week.starts_at, week.ends_at) if week is not None else (start, end)
        if low <= first < high:
            logged[user_id] += _seconds(first, last)
    return [MemberWeek(member, weeks.get(member.id), logged[member.id]) for member in members]


def _seconds(first: datetime, last: datetime) -> float:
    return (last - first).total_seconds()
