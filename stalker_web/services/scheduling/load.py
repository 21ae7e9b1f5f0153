"""Scheduled and available hours of the studio's people, per week: the load of a plan.

A computed resource of a leaf task works the working time of the task's span: the studio's
working hours, less studio holidays, their own vacations and any time outside their contract
window (``available_from``/``available_until``). On an effort task, when the plan is read with a
calendar and a moment, they work only their part of the effort (the effort over the summed
efficiencies of the task's people): what they logged spread evenly over the span before that
moment, the rest over the span after it (tj3 interleaves a person's tasks, so spans overlap
while the hours do not). A length or duration task takes its people's whole span.
Available hours are the same working time over a whole week. The working time of every day is
computed once (prefix sums per person), so a span costs two partial days and a subtraction
however long it is, and 18,000 tasks take a fraction of a second. The live plan and a scenario's
plan are read the same way (``Booking``).
"""

from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from ...models import DepartmentUser, Task, TimeLog, User, Vacation
from ...models.schedule import ScheduleModel, WorkingCalendar, unit_seconds
from ...models.task import task_computed_resources
from ...time_zones import DEFAULT_ZONE, to_local
from ..tasks.columns import time_log_seconds
from .fit import working_minutes
from .plan import Leave, floor_day

DAY = timedelta(days=1)
WEEK = timedelta(weeks=1)


@dataclass(frozen=True)
class Booking:
    """A person computed to work on a leaf task from ``start`` to ``end``; ``resource_id`` is
    a user id, or minus a scenario's temporary person id."""

    task_id: int
    project_id: int
    resource_id: int
    start: datetime
    end: datetime
    # The person's part of an effort task's work, in seconds; None: the whole span.
    work_seconds: float | None = None
    # What the person logged on the task, and the moment the plan was read: the logged work
    # fills the span up to then, the rest of their part the span after it.
    logged_seconds: float = 0.0
    now: datetime | None = None


@dataclass(frozen=True)
class Person:
    """Someone who can be booked: their rate, departments, contract window and vacations."""

    id: int
    name: str
    rate: float = 0.0
    is_active: bool = True
    department_ids: tuple[int, ...] = ()
    available_from: datetime | None = None
    available_until: datetime | None = None
    vacations: tuple[tuple[datetime, datetime], ...] = ()


@dataclass(frozen=True)
class StudioPeople:
    """The people of the studio and the studio holidays, as the load needs them."""

    people: dict[int, Person]
    holidays: list[tuple[datetime, datetime]] = field(default_factory=list)


def week_starts(moment: datetime, weeks: int) -> list[datetime]:
    """Monday 00:00 UTC of ``moment``'s week and of the ``weeks - 1`` weeks after it."""
    monday = floor_day(moment) - timedelta(days=floor_day(moment).weekday())
    return [monday + index * WEEK for index in range(weeks)]


class WorkingTime:
    """The working seconds of each person between any two moments from ``first`` to ``last``
    (see the module docstring)."""

    def __init__(
        self,
        working_hours: Mapping[str, Sequence[Sequence[int]]],
        people: StudioPeople,
        first: datetime,
        last: datetime,
        time_zone: str | None = None,
    ) -> None:
        self.calendar = _Hours(working_hours, time_zone or DEFAULT_ZONE)
        self.people = people.people
        self.origin = floor_day(first)
        self.days = (floor_day(last) - self.origin).days + 2
        holidays = [Leave("holiday", "", start, end) for start, end in people.holidays]
        self._holidays = self._by_day(holidays)
        base = [
            self._day_seconds(index, self._holidays.get(index, [])) for index in range(self.days)
        ]
        self._base = _prefix(base)
        self._own_leaves: dict[int, dict[int, list[Leave]]] = {}
        self._own_prefix: dict[int, list[float]] = {}
        self._plain_parts: dict[tuple, float] = {}
        for person in self.people.values():
            if not person.vacations:
                continue
            leaves = self._by_day([Leave("annual", "", s, e) for s, e in person.vacations])
            merged = {index: self._holidays.get(index, []) + own for index, own in leaves.items()}
            daily = list(base)
            for index, day_leaves in merged.items():
                daily[index] = self._day_seconds(index, day_leaves)
            self._own_leaves[person.id] = merged
            self._own_prefix[person.id] = _prefix(daily)

    def _by_day(self, leaves: Iterable[Leave]) -> dict[int, list[Leave]]:
        days: dict[int, list[Leave]] = {}
        for leave in leaves:
            first = max(0, (floor_day(leave.start) - self.origin).days)
            last = min(self.days - 1, (floor_day(leave.end) - self.origin).days)
            for index in range(first, last + 1):
                days.setdefault(index, []).append(leave)
        return days

    def _day_seconds(self, index: int, leaves: list[Leave]) -> float:
        day = self.origin + index * DAY
        return 60 * working_minutes(self.calendar, day, day + DAY, leaves)

    def _index(self, moment: datetime) -> int:
        return (floor_day(moment) - self.origin).days

    def seconds(self, person_id: int, start: datetime, end: datetime) -> float:
        """The working seconds of the person from ``start`` to ``end`` (within their contract
        window, outside holidays and their vacations)."""
        person = self.people.get(person_id)
        if person is not None:
            if person.available_from is not None:
                start = max(start, person.available_from)
            if person.available_until is not None:
                end = min(end, person.available_until)
        start = max(start, self.origin)
        end = min(end, self.origin + self.days * DAY)
        if end <= start:
            return 0.0
        prefix = self._own_prefix.get(person_id, self._base)
        first, last = self._index(start), self._index(end)
        if first == last:
            return self._partial(person_id, first, start, end)
        total = prefix[last] - prefix[first + 1]
        total += self._partial(person_id, first, start, self.origin + (first + 1) * DAY)
        day_start = self.origin + last * DAY
        if end > day_start:
            total += self._partial(person_id, last, day_start, end)
        return total

    def _partial(self, person_id: int, index: int, start: datetime, end: datetime) -> float:
        day = self.origin + index * DAY
        prefix = self._own_prefix.get(person_id, self._base)
        if start == day and end == day + DAY:
            return prefix[index + 1] - prefix[index]
        leaves = self._own_leaves.get(person_id, self._holidays).get(index, [])
        if leaves:
            return 60 * working_minutes(self.calendar, start, end, leaves)
        # Without leaves a part of a day is worth the same on every such weekday, while the
        # studio zone keeps the same offset from UTC.
        zone = self.calendar.time_zone
        key = (day.weekday(), start - day, end - day, _offset(day, zone), _offset(day + DAY, zone))
        if key not in self._plain_parts:
            self._plain_parts[key] = 60 * working_minutes(self.calendar, start, end, [])
        return self._plain_parts[key]

    def weekly_seconds(
        self, person_id: int, start: datetime, end: datetime, weeks: list[datetime]
    ) -> list[tuple[int, float]]:
        """(week index, working seconds) of the span in each of ``weeks`` (their Mondays,
        consecutive) that it overlaps."""
        if not weeks or end <= weeks[0] or start >= weeks[-1] + WEEK:
            return []
        first = max(0, bisect_right(weeks, start) - 1)
        pieces = []
        for index in range(first, len(weeks)):
            week = weeks[index]
            if week >= end:
                break
            seconds = self.seconds(person_id, max(start, week), min(end, week + WEEK))
            if seconds:
                pieces.append((index, seconds))
        return pieces


@dataclass(frozen=True)
class _Hours:
    """The studio's weekly working hours (local hours of ``time_zone``), as
    ``fit.working_minutes`` reads a calendar."""

    working_hours: Mapping[str, Sequence[Sequence[int]]]
    time_zone: str = DEFAULT_ZONE


def _offset(moment: datetime, zone_name: str) -> timedelta | None:
    return to_local(moment, zone_name).utcoffset()


def _prefix(daily: list[float]) -> list[float]:
    return [0.0, *accumulate(daily)]


def span_of(bookings: Iterable[Booking], weeks: list[datetime]) -> tuple[datetime, datetime]:
    """The first and last moment a working-time table must cover for ``bookings`` and
    ``weeks``."""
    moments = [moment for booking in bookings for moment in (booking.start, booking.end)]
    if weeks:
        moments += [weeks[0], weeks[-1] + WEEK]
    return min(moments), max(moments)


def booked_weekly_seconds(
    working_time: WorkingTime, booking: Booking, weeks: list[datetime]
) -> list[tuple[int, float]]:
    """(week index, scheduled seconds) of ``booking`` in each of ``weeks`` it overlaps: its
    working time there, scaled down to its ``work_seconds`` when it has them (``working_time``
    must then cover the booking's whole span, see ``span_of``): the logged work before the
    booking's ``now``, the rest of its part after it, each spread evenly."""
    person, start, end = booking.resource_id, booking.start, booking.end
    if booking.work_seconds is None:
        return working_time.weekly_seconds(person, start, end, weeks)
    split = min(max(booking.now or start, start), end)
    remaining = max(0.0, booking.work_seconds - booking.logged_seconds)
    weekly: dict[int, float] = {}
    for part_start, part_end, work in (
        (start, split, booking.logged_seconds),
        (split, end, remaining),
    ):
        pieces = working_time.weekly_seconds(person, part_start, part_end, weeks)
        span = working_time.seconds(person, part_start, part_end) if pieces else 0.0
        for index, seconds in pieces:
            weekly[index] = weekly.get(index, 0.0) + seconds * min(1.0, work / span)
    return sorted(weekly.items())


def weekly_load(
    working_time: WorkingTime, bookings: Iterable[Booking], weeks: list[datetime]
) -> dict[tuple[int, int], float]:
    """(person id, week index) → scheduled seconds in that week, over ``bookings``."""
    load: dict[tuple[int, int], float] = {}
    for booking in bookings:
        for index, seconds in booked_weekly_seconds(working_time, booking, weeks):
            key = (booking.resource_id, index)
            load[key] = load.get(key, 0.0) + seconds
    return load


def weekly_available(
    working_time: WorkingTime, weeks: list[datetime]
) -> dict[tuple[int, int], float]:
    """(person id, week index) → the seconds each active person can work that week."""
    return {
        (person.id, index): working_time.seconds(person.id, week, week + WEEK)
        for person in working_time.people.values()
        if person.is_active
        for index, week in enumerate(weeks)
    }


def booked_seconds(
    working_time: WorkingTime, bookings: Iterable[Booking]
) -> dict[tuple[int, int], float]:
    """(project id, person id) → scheduled seconds over the whole spans of ``bookings``."""
    booked: dict[tuple[int, int], float] = {}
    for booking in bookings:
        key = (booking.project_id, booking.resource_id)
        seconds = working_time.seconds(booking.resource_id, booking.start, booking.end)
        booked[key] = booked.get(key, 0.0) + seconds
    return booked


# Reading the live plan ----------------------------------------------------------------------


def read_people(dbsession: Session, user_ids: Collection[int] | None = None) -> StudioPeople:
    """Every user (or only those of ``user_ids``) with their rate, departments, contract window
    and vacations, and the studio holidays: three queries."""
    department_rows = select(DepartmentUser.user_id, DepartmentUser.department_id).order_by(
        DepartmentUser.department_id
    )
    vacation_rows = select(Vacation.user_id, Vacation.start, Vacation.end).order_by(Vacation.start)
    user_rows = select(
        User.id, User.name, User.rate, User.is_active, User.available_from, User.available_until
    )
    if user_ids is not None:
        department_rows = department_rows.where(DepartmentUser.user_id.in_(user_ids))
        vacation_rows = vacation_rows.where(
            or_(Vacation.user_id.is_(None), Vacation.user_id.in_(user_ids))
        )
        user_rows = user_rows.where(User.id.in_(user_ids))
    departments: dict[int, list[int]] = {}
    for user_id, department_id in dbsession.execute(department_rows):
        departments.setdefault(user_id, []).append(department_id)
    vacations: dict[int | None, list[tuple[datetime, datetime]]] = {}
    for user_id, start, end in dbsession.execute(vacation_rows):
        vacations.setdefault(user_id, []).append((start, end))
    people = {
        row.id: Person(
            row.id,
            row.name,
            row.rate or 0.0,
            row.is_active,
            tuple(departments.get(row.id, ())),
            row.available_from,
            row.available_until,
            tuple(vacations.get(row.id, ())),
        )
        for row in dbsession.execute(user_rows)
    }
    return StudioPeople(people, vacations.get(None, []))


def read_live_bookings(
    dbsession: Session,
    user_ids: Collection[int] | Select | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    calendar: WorkingCalendar | None = None,
    now: datetime | None = None,
) -> list[Booking]:
    """The computed resources of every scheduled leaf task of the studio, in one query; only
    those of ``user_ids`` (ids, or a select of them) and overlapping ``start``..``end`` when
    given; with ``calendar`` and ``now``, each booking of an effort task carries the person's
    part of the effort and what they logged on it."""
    child = aliased(Task)
    computed = task_computed_resources
    others = computed.alias()
    # The efficiencies of every person of the task, whoever the query keeps: they share its
    # effort, each booked for the effort over their summed efficiency (as tj3 books them).
    efficiency = (
        select(func.sum(User.efficiency))
        .select_from(others.join(User, User.id == others.c.user_id))
        .where(others.c.task_id == Task.id)
        .scalar_subquery()
    )
    logged = (
        select(func.coalesce(func.sum(time_log_seconds(dbsession)), 0.0))
        .where(TimeLog.task_id == Task.id, TimeLog.resource_id == computed.c.user_id)
        .scalar_subquery()
    )
    query = (
        select(
            Task.id,
            Task.project_id,
            computed.c.user_id,
            Task.computed_start,
            Task.computed_end,
            Task.schedule_model,
            Task.schedule_timing,
            Task.schedule_unit,
            efficiency,
            logged,
        )
        .join(computed, computed.c.task_id == Task.id)
        .where(
            Task.computed_start.is_not(None),
            Task.computed_end.is_not(None),
            ~exists().where(child.parent_id == Task.id),
        )
        .order_by(Task.id, computed.c.user_id)
    )
    if user_ids is not None:
        query = query.where(computed.c.user_id.in_(user_ids))
    if start is not None:
        query = query.where(Task.computed_end > start)
    if end is not None:
        query = query.where(Task.computed_start < end)
    bookings = []
    weigh = calendar is not None and now is not None
    for *placed, model, timing, unit, efficiencies, seconds in dbsession.execute(query):
        if weigh and model is ScheduleModel.EFFORT and timing and efficiencies:
            work = timing * unit_seconds(unit, model, calendar) / efficiencies
            placed += [work, float(seconds), now]
        bookings.append(Booking(*placed))
    return bookings
