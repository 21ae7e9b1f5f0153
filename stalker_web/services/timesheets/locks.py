"""Submitted and locked weeks: an artist submits a week, a lead of their department locks (or
unlocks) it, and nobody adds, changes or removes a time log inside a locked week.

A week is an ISO week of the person's zone: Monday's local midnight to the next Monday's, kept
in UTC on the row when it is first submitted (``starts_at``/``ends_at``), so the lock covers the
same moments whatever zone anyone looks from later.
"""

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import TimesheetWeek, User, WeekState
from ...time_zones import day_bounds, format_moment
from ..errors import ValidationError

WEEK_DAYS = 7


def week_bounds(monday: date, time_zone: str | None) -> tuple[datetime, datetime]:
    """The UTC moments of ``monday``'s local midnight and of the next Monday's."""
    return day_bounds(monday, time_zone)[0], day_bounds(monday + timedelta(days=6), time_zone)[1]


def week_label(monday: date) -> str:
    """The ISO week of ``monday``: ``2026-W11``."""
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def find_week(dbsession: Session, user_id: int, monday: date) -> TimesheetWeek | None:
    """``user_id``'s row of the week starting ``monday``, if they ever submitted it."""
    return dbsession.scalars(
        select(TimesheetWeek).where(
            TimesheetWeek.user_id == user_id, TimesheetWeek.week_start == monday
        )
    ).first()


def locked_refusal(
    dbsession: Session, user_id: int, start: datetime, end: datetime
) -> ValidationError | None:
    """The refusal of a change to ``user_id``'s logs between ``start`` and ``end`` when a locked
    week of theirs covers any of it; None otherwise."""
    locked = dbsession.scalars(
        select(TimesheetWeek)
        .where(
            TimesheetWeek.user_id == user_id,
            TimesheetWeek.state == WeekState.LOCKED,
            TimesheetWeek.starts_at < end,
            TimesheetWeek.ends_at > start,
        )
        .options(joinedload(TimesheetWeek.locked_by))
        .order_by(TimesheetWeek.week_start)
        .limit(1)
    ).first()
    if locked is None:
        return None
    who = locked.locked_by.name if locked.locked_by is not None else "a lead"
    return ValidationError(
        f"The week {week_label(locked.week_start)} is locked (by {who}): its time logs cannot be "
        "added to, changed or removed. Ask a lead of your department to unlock it.",
        "start",
    )


def check_unlocked(dbsession: Session, user_id: int, start: datetime, end: datetime) -> None:
    """Refuse a change to ``user_id``'s logs between ``start`` and ``end`` inside a locked
    week."""
    refusal = locked_refusal(dbsession, user_id, start, end)
    if refusal is not None:
        raise refusal


def submit_week(
    dbsession: Session, user: User, monday: date, time_zone: str | None, now: datetime
) -> TimesheetWeek:
    """Mark ``user``'s week of ``monday`` (in ``time_zone``) submitted; submitting it again
    only records the new time. A locked week stays locked."""
    week = find_week(dbsession, user.id, monday)
    if week is not None and week.state is WeekState.LOCKED:
        raise ValidationError(
            f"The week {week_label(monday)} is already locked; there is nothing to submit."
        )
    if week is None:
        starts_at, ends_at = week_bounds(monday, time_zone)
        week = TimesheetWeek(
            user_id=user.id,
            week_start=monday,
            starts_at=starts_at,
            ends_at=ends_at,
            state=WeekState.SUBMITTED,
            submitted_at=now,
        )
        dbsession.add(week)
    week.submitted_at = now
    dbsession.flush()
    return week


def lock_week(
    dbsession: Session, user: User, monday: date, lead: User, now: datetime
) -> TimesheetWeek:
    """Lock ``user``'s submitted week of ``monday``: from now on its logs stay as they are."""
    week = find_week(dbsession, user.id, monday)
    if week is None:
        raise ValidationError(
            f"{user.name} has not submitted the week {week_label(monday)} yet; it can be locked "
            "once they do."
        )
    if week.state is WeekState.LOCKED:
        raise ValidationError(f"{user.name}'s week {week_label(monday)} is already locked.")
    week.state = WeekState.LOCKED
    # The relationship, not only its id: a page read later in this session names the lead.
    week.locked_by = lead
    week.locked_at = now
    dbsession.flush()
    return week


def unlock_week(dbsession: Session, user: User, monday: date) -> TimesheetWeek:
    """Unlock ``user``'s locked week of ``monday``: it is submitted again, and editable."""
    week = find_week(dbsession, user.id, monday)
    if week is None or week.state is not WeekState.LOCKED:
        raise ValidationError(f"{user.name}'s week {week_label(monday)} is not locked.")
    week.state = WeekState.SUBMITTED
    week.locked_by = None
    week.locked_at = None
    dbsession.flush()
    return week


def state_text(week: TimesheetWeek | None, time_zone: str | None) -> str:
    """How a week's state reads: "not submitted", "submitted 2026-03-13 17:02 EDT", "locked by
    Lea on 2026-03-16 10:00 EDT"."""
    if week is None:
        return "not submitted"
    if week.state is WeekState.LOCKED:
        who = week.locked_by.name if week.locked_by is not None else "a lead"
        return f"locked by {who} on {format_moment(week.locked_at, time_zone)}"
    return f"submitted {format_moment(week.submitted_at, time_zone)}"
