"""Vacations: a user's time away, or a studio-wide holiday; the month calendars and the forms.

Times are stored in UTC and typed and shown in the viewer's zone (``time_zone`` arguments; UTC
when None). A vacation given as whole days starts at local midnight of its first day and ends
at local midnight after its last day, so "2026-12-24 to 2026-12-26" is three days; a form may
give exact times instead (``2026-12-24 14:00``). A user's vacations may not overlap each
other, and neither may the studio-wide holidays.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from ...limits import FIRST_YEAR, LAST_YEAR
from ...models import User, Vacation
from ...models.vacation import STUDIO_HOLIDAY_NAME, VACATION_NAME, check_vacation_range
from ...pagination import Page, paginate
from ...time_zones import (
    NonexistentLocalTime,
    at_minute,
    day_bounds,
    format_moment,
    local_day,
    to_local,
    to_utc,
)
from ..errors import ValidationError, check_version, model_rules
from ..names import NAME_MAX_LENGTH

VACATIONS_PER_PAGE = 50
NAMES_PER_DAY = 6
MOMENT_MESSAGE = "Enter a date as YYYY-MM-DD, or a date and time as YYYY-MM-DD HH:MM."
MONTH_MESSAGE = "Give the month as YYYY-MM."
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


# Dates as typed --------------------------------------------------------------------------


def parse_moment(
    text: str | None, *, is_end: bool, field: str, time_zone: str | None = None
) -> datetime:
    """A form's start or end, typed in ``time_zone``, as a UTC datetime: a day alone means its
    local midnight, or for an end the midnight after it (the last day is included)."""
    text = (text or "").strip()
    try:
        if _DAY.match(text):
            day = date.fromisoformat(text)
            return at_minute(day, 1440 if is_end else 0, time_zone)
        match = _MOMENT.match(text)
        if match:
            day, clock = match.groups()
            typed = datetime.fromisoformat(f"{day}T{int(clock[:-3]):02d}:{clock[-2:]}")
            return to_utc(typed, time_zone)
    except NonexistentLocalTime as error:
        raise ValidationError(str(error), field) from error
    except ValueError:
        pass
    raise ValidationError(MOMENT_MESSAGE if text else f"The {field} is required.", field)


def is_whole_days(start: datetime, end: datetime, time_zone: str | None = None) -> bool:
    """Whether both ends are midnights on the clocks of ``time_zone``."""
    return to_local(start, time_zone).time() == time() and to_local(end, time_zone).time() == time()


def form_texts(vacation: Vacation, time_zone: str | None = None) -> tuple[str, str]:
    """The start and end as the form shows them in ``time_zone`` (whole days: the last day, not
    the midnight after it)."""
    start, end = vacation.start, vacation.end
    if is_whole_days(start, end, time_zone):
        last = local_day(end, time_zone) - timedelta(days=1)
        return local_day(start, time_zone).isoformat(), last.isoformat()
    return format_moment(start, time_zone)[:16], format_moment(end, time_zone)[:16]


def span_text(start: datetime, end: datetime, time_zone: str | None = None) -> str:
    """How a vacation's time is shown in ``time_zone``: "2026-12-24 to 2026-12-26 (3 days)" for
    whole days, else "2026-12-24 14:00 EST to 2026-12-24 18:00 EST"."""
    if is_whole_days(start, end, time_zone):
        first = local_day(start, time_zone)
        last = local_day(end, time_zone) - timedelta(days=1)
        days = (last - first).days + 1
        if days == 1:
            return f"{first.isoformat()} (1 day)"
        return f"{first.isoformat()} to {last.isoformat()} ({days} days)"
    first, last = format_moment(start, time_zone), format_moment(end, time_zone)
    if first.rsplit(" ", 1)[1] == last.rsplit(" ", 1)[1]:
        first = first.rsplit(" ", 1)[0]  # one zone mark for both ends
    return f"{first} to {last}"


def parse_month(text: str | None, today: date | None = None) -> date:
    """The first day of the month ``YYYY-MM``; none given means the current month."""
    if not text:
        today = today or datetime.now(UTC).date()
        return today.replace(day=1)
    match = _MONTH.match(text.strip())
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR:
            return date(year, month, 1)
    raise ValidationError(MONTH_MESSAGE, "month")


def add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# Month calendars -------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    """One cell: the day, whether it belongs to the shown month, its holidays and who is away
    (at most NAMES_PER_DAY vacations, and how many more there are)."""

    day: date
    in_month: bool
    holidays: list[Vacation]
    away: list[Vacation]
    more: int


@dataclass(frozen=True)
class MonthCalendar:
    """The weeks (Monday first) of a month, and its neighbours for the links."""

    first: date
    weeks: list[list[CalendarDay]]
    vacation_count: int

    @property
    def label(self) -> str:
        return f"{calendar.month_name[self.first.month]} {self.first.year}"

    @property
    def previous(self) -> str:
        return f"{add_months(self.first, -1):%Y-%m}"

    @property
    def next(self) -> str:
        return f"{add_months(self.first, 1):%Y-%m}"

    @property
    def param(self) -> str:
        return f"{self.first:%Y-%m}"


def _bounds(first: date, time_zone: str | None = None) -> tuple[datetime, datetime]:
    return at_minute(first, 0, time_zone), at_minute(add_months(first, 1), 0, time_zone)


def _month_statement(
    first: date, user: User | None, with_holidays: bool = True, time_zone: str | None = None
):
    start, end = _bounds(first, time_zone)
    statement = select(Vacation).where(Vacation.start < end, Vacation.end > start)
    if user is not None:
        whose = Vacation.user_id == user.id
        statement = statement.where(
            or_(whose, Vacation.user_id.is_(None)) if with_holidays else whose
        )
    return statement.options(joinedload(Vacation.user)).order_by(Vacation.start, Vacation.id)


def _covers(vacation: Vacation, day: date, time_zone: str | None) -> bool:
    day_start, day_end = day_bounds(day, time_zone)
    return vacation.start < day_end and vacation.end > day_start


def month_calendar(
    dbsession: Session, first: date, user: User | None = None, time_zone: str | None = None
) -> MonthCalendar:
    """The month starting ``first``, in days of ``time_zone``: the studio's holidays and
    everyone's vacations, or with ``user`` only that user's and the holidays (one query)."""
    vacations = list(dbsession.scalars(_month_statement(first, user, time_zone=time_zone)))
    holidays = [vacation for vacation in vacations if vacation.user_id is None]
    personal = [vacation for vacation in vacations if vacation.user_id is not None]
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        cells = []
        for day in week:
            away = [vacation for vacation in personal if _covers(vacation, day, time_zone)]
            cells.append(
                CalendarDay(
                    day=day,
                    in_month=day.month == first.month,
                    holidays=[
                        vacation for vacation in holidays if _covers(vacation, day, time_zone)
                    ],
                    away=away[:NAMES_PER_DAY],
                    more=max(0, len(away) - NAMES_PER_DAY),
                )
            )
        weeks.append(cells)
    return MonthCalendar(first=first, weeks=weeks, vacation_count=len(vacations))


def month_page(dbsession: Session, first: date, number: int, time_zone: str | None = None) -> Page:
    """One page of the month's vacations (everyone's and the holidays), earliest first."""
    return paginate(
        dbsession,
        _month_statement(first, None, time_zone=time_zone),
        number,
        VACATIONS_PER_PAGE,
        params={"month": f"{first:%Y-%m}"},
    )


def user_page(dbsession: Session, user: User, number: int) -> Page:
    """One page of all of ``user``'s vacations, latest first."""
    statement = (
        select(Vacation)
        .where(Vacation.user_id == user.id)
        .options(joinedload(Vacation.user))
        .order_by(Vacation.start.desc(), Vacation.id.desc())
    )
    return paginate(dbsession, statement, number, VACATIONS_PER_PAGE)


def user_choices(dbsession: Session, keep: User | None = None) -> list[tuple[int, str, str]]:
    """(id, name, login) of the active users by name, plus ``keep`` when it is deactivated."""
    rows = list(
        dbsession.execute(
            select(User.id, User.name, User.login).where(User.is_active).order_by(User.name)
        )
    )
    if keep is not None and keep.id not in {row.id for row in rows}:
        rows.append((keep.id, keep.name, keep.login))
    return [tuple(row) for row in rows]


# Changes ---------------------------------------------------------------------------------


def vacation_user(dbsession: Session, user_id: int | None) -> User | None:
    """The user a form chose (None: a studio-wide holiday), refused when there is none."""
    if user_id is None:
        return None
    user = dbsession.get(User, user_id)
    if user is None:
        raise ValidationError("Choose a user from the list.", "user_id")
    return user


def _checked_name(name: str | None) -> str | None:
    name = (name or "").strip()
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(f"Use at most {NAME_MAX_LENGTH} characters.", "name")
    return name or None


def _refuse_overlap(
    dbsession: Session,
    user: User | None,
    start: datetime,
    end: datetime,
    exclude_id=None,
    time_zone: str | None = None,
) -> None:
    whose = Vacation.user_id.is_(None) if user is None else Vacation.user_id == user.id
    statement = select(Vacation).where(whose, Vacation.start < end, Vacation.end > start)
    if exclude_id is not None:
        statement = statement.where(Vacation.id != exclude_id)
    other = dbsession.scalars(statement.order_by(Vacation.start).limit(1)).first()
    if other is None:
        return
    span = span_text(other.start, other.end, time_zone)
    if user is None:
        message = f"It overlaps the studio holiday {other.name!r} ({span})"
    else:
        message = f"{user.name} is already away then: {other.name!r} ({span})"
    raise ValidationError(
        message + ". Change the dates so they do not overlap, or edit that one instead.",
        "start",
    )


def _checked_range(start: datetime, end: datetime) -> None:
    with model_rules():
        check_vacation_range(start, end)


def create_vacation(
    dbsession: Session,
    *,
    user: User | None,
    start: datetime,
    end: datetime,
    name: str | None = None,
    description: str = "",
    time_zone: str | None = None,
) -> Vacation:
    """Record ``user``'s vacation (None: a studio-wide holiday) unless it overlaps another
    (named in ``time_zone``)."""
    _checked_range(start, end)
    name = _checked_name(name)
    _refuse_overlap(dbsession, user, start, end, time_zone=time_zone)
    with model_rules():
        vacation = Vacation(
            user=user, start=start, end=end, name=name, description=description or ""
        )
    dbsession.add(vacation)
    dbsession.flush()
    return vacation


def update_vacation(
    dbsession: Session,
    vacation: Vacation,
    *,
    submitted_version: int | None,
    user: User | None,
    start: datetime,
    end: datetime,
    name: str | None = None,
    description: str = "",
    time_zone: str | None = None,
) -> Vacation:
    """Change a vacation (its user, time, name and description), refusing overlaps."""
    check_version(vacation, submitted_version, "This vacation")
    _checked_range(start, end)
    name = _checked_name(name)
    _refuse_overlap(dbsession, user, start, end, exclude_id=vacation.id, time_zone=time_zone)
    with model_rules():
        vacation.user = user
        vacation.set_range(start, end)
        vacation.name = name or (VACATION_NAME if user is not None else STUDIO_HOLIDAY_NAME)
        vacation.description = description or ""
    dbsession.flush()
    return vacation


def delete_vacation(dbsession: Session, vacation: Vacation) -> None:
    dbsession.delete(vacation)
    dbsession.flush()
