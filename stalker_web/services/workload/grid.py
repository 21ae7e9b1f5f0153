"""The workload grid: people by weeks, each cell a person's scheduled hours (on every project)
against their available hours that week, from the live plan read for them and those weeks only.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from ...limits import FIRST_YEAR, LAST_YEAR
from ...models.meta import utcnow
from ..errors import ValidationError
from ..scheduling.load import (
    WEEK,
    WorkingTime,
    read_live_bookings,
    read_people,
    span_of,
    week_starts,
    weekly_available,
    weekly_load,
)
from ..tasks.progress import studio_calendar
from .scope import WorkloadPerson

DEFAULT_WEEKS = 12
MAX_WEEKS = 26
HOUR = 3600.0
# A minute over is rounding, not over-booking.
TOLERANCE_SECONDS = 60.0


def hours_text(seconds: float) -> str:
    """Seconds as hours people read: "32", "7.5", "0"."""
    hours = round(seconds / HOUR, 1)
    return f"{hours:g}"


@dataclass(frozen=True)
class Load:
    """Scheduled against available seconds (and, on a project's page, the project's share)."""

    scheduled_seconds: float = 0.0
    available_seconds: float = 0.0
    project_seconds: float | None = None

    def __add__(self, other: "Load") -> "Load":
        project = None
        if self.project_seconds is not None or other.project_seconds is not None:
            project = (self.project_seconds or 0.0) + (other.project_seconds or 0.0)
        return Load(
            self.scheduled_seconds + other.scheduled_seconds,
            self.available_seconds + other.available_seconds,
            project,
        )

    @property
    def over_booked(self) -> bool:
        return self.scheduled_seconds > self.available_seconds + TOLERANCE_SECONDS

    @property
    def percent(self) -> int | None:
        """Scheduled of available, in percent; None when there is no working time."""
        if not self.available_seconds:
            return None
        return round(self.scheduled_seconds * 100 / self.available_seconds)

    @property
    def heat(self) -> str:
        """The cell's class (static/workload.css): load-off (no working time, nothing booked),
        load-0 (free), load-50, load-80, load-100 (full) or load-over."""
        if self.over_booked:
            return "load-over"
        percent = self.percent
        if percent is None:
            return "load-off"
        if not self.scheduled_seconds:
            return "load-0"
        if percent <= 50:
            return "load-50"
        if percent <= 80:
            return "load-80"
        return "load-100"

    @property
    def text(self) -> str:
        """ "32 / 40 h" """
        return f"{hours_text(self.scheduled_seconds)} / {hours_text(self.available_seconds)} h"

    @property
    def sentence(self) -> str:
        """What the cell says to a screen reader or in its tooltip."""
        words = f"Scheduled {hours_text(self.scheduled_seconds)} h of "
        words += f"{hours_text(self.available_seconds)} h available"
        if self.over_booked:
            words = f"Over-booked: {words}"
        if self.project_seconds is not None:
            words += f", {self.project_text}"
        return words

    @property
    def project_text(self) -> str:
        """ "12 h on this project" (empty off a project's page)."""
        if self.project_seconds is None:
            return ""
        return f"{hours_text(self.project_seconds)} h on this project"


@dataclass
class WorkloadRow:
    """One person's cells, one per week, and their total."""

    person: WorkloadPerson
    cells: list[Load]

    @property
    def total(self) -> Load:
        return sum(self.cells, Load())


@dataclass
class WorkloadGrid:
    """People by weeks; ``weeks`` are Mondays 00:00 UTC."""

    weeks: list[datetime]
    rows: list[WorkloadRow] = field(default_factory=list)

    @property
    def totals(self) -> list[Load]:
        """The footer: each week's sum over the rows."""
        return [
            sum((row.cells[index] for row in self.rows), Load()) for index in range(len(self.weeks))
        ]

    @property
    def total(self) -> Load:
        return sum((row.total for row in self.rows), Load())

    @property
    def first_day(self) -> date:
        return self.weeks[0].date()

    @property
    def last_day(self) -> date:
        return (self.weeks[-1] + WEEK).date() - timedelta(days=1)


def weeks_from(first: date | None, count: int | None, today: date) -> list[datetime]:
    """The Mondays of ``count`` weeks (default 12) from ``first``'s week (default this week);
    ValidationError naming ``weeks`` when the count is outside 1..26, ``from`` when the day is
    outside the years the studio plans in."""
    count = DEFAULT_WEEKS if count is None else count
    if not 1 <= count <= MAX_WEEKS:
        raise ValidationError(f"Show between 1 and {MAX_WEEKS} weeks.", "weeks")
    if first is not None and not FIRST_YEAR <= first.year <= LAST_YEAR:
        raise ValidationError(f"Choose a date between {FIRST_YEAR} and {LAST_YEAR}.", "from")
    day = first or today
    return week_starts(datetime(day.year, day.month, day.day, tzinfo=UTC), count)


def workload_grid(
    dbsession: Session,
    people: Sequence[WorkloadPerson],
    weeks: list[datetime],
    project_id: int | None = None,
    now: datetime | None = None,
) -> WorkloadGrid:
    """The grid of ``people`` over ``weeks`` as the plan stands at ``now`` (default: the present;
    see ``scheduling.load``); with ``project_id`` each cell also carries that
    project's share. Five queries (the calendar, their bookings in the weeks, their details),
    none without people."""
    grid = WorkloadGrid(weeks)
    if not people:
        return grid
    user_ids = [person.id for person in people]
    first, last = weeks[0], weeks[-1] + WEEK
    calendar = studio_calendar(dbsession)
    bookings = read_live_bookings(
        dbsession, user_ids=user_ids, start=first, end=last, calendar=calendar, now=now or utcnow()
    )
    working_time = WorkingTime(
        calendar.working_hours,
        read_people(dbsession, user_ids=user_ids),
        *span_of(bookings, weeks),
        calendar.time_zone,
    )
    scheduled = weekly_load(working_time, bookings, weeks)
    available = weekly_available(working_time, weeks)
    shares = None
    if project_id is not None:
        shares = weekly_load(
            working_time, [b for b in bookings if b.project_id == project_id], weeks
        )
    for person in people:
        cells = [
            Load(
                scheduled.get((person.id, index), 0.0),
                available.get((person.id, index), 0.0),
                None if shares is None else shares.get((person.id, index), 0.0),
            )
            for index in range(len(weeks))
        ]
        grid.rows.append(WorkloadRow(person, cells))
    return grid
