"""The tasks behind a person's workload cells: their bookings overlapping each week, with the
hours they take that week; tasks of projects the viewer cannot read are anonymous busy time."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import Task, User
from ..accounts.readable_projects import ReadableProjects
from ..gantt.people import BUSY
from ..scheduling.lateness import Standing, standings
from ..scheduling.load import (
    WEEK,
    Booking,
    WorkingTime,
    booked_weekly_seconds,
    read_live_bookings,
    read_people,
    span_of,
    weekly_available,
)
from ..tasks.paths import task_paths
from ..tasks.progress import studio_calendar
from .grid import Load, hours_text

COMING_WEEKS = 4


@dataclass(frozen=True)
class BookedTask:
    """A task in a week: ``task`` is None (and ``label`` says "Busy (another project)") when
    the viewer may not read its project."""

    task: Task | None
    label: str
    start: datetime
    end: datetime
    seconds: float
    standing: Standing = Standing.ON_TIME

    @property
    def hours(self) -> str:
        """The hours it takes that week ("7.5")."""
        return hours_text(self.seconds)


@dataclass
class WeekTasks:
    """One week of a person: their load and the tasks making it, longest first."""

    week: datetime
    load: Load
    tasks: list[BookedTask] = field(default_factory=list)


def person_weeks(
    dbsession: Session,
    user: User,
    weeks: list[datetime],
    *,
    readable: ReadableProjects,
    now: datetime,
) -> list[WeekTasks]:
    """Each of ``weeks`` (consecutive Mondays) with ``user``'s bookings overlapping it: a fixed
    number of queries (calendar, bookings, person, tasks, paths, standings)."""
    first, last = weeks[0], weeks[-1] + WEEK
    calendar = studio_calendar(dbsession)
    bookings = read_live_bookings(
        dbsession, user_ids=[user.id], start=first, end=last, calendar=calendar, now=now
    )
    working_time = WorkingTime(
        calendar.working_hours,
        read_people(dbsession, user_ids=[user.id]),
        *span_of(bookings, weeks),
        calendar.time_zone,
    )
    available = weekly_available(working_time, weeks)
    tasks = _tasks(dbsession, bookings)
    shown = [task for task in tasks.values() if task.project_id in readable]
    paths = task_paths(dbsession, shown)
    marks = standings(dbsession, shown, now)
    result = [
        WeekTasks(week, Load(0.0, available.get((user.id, index), 0.0)))
        for index, week in enumerate(weeks)
    ]
    for booking in bookings:
        task = tasks[booking.task_id]
        for index, seconds in booked_weekly_seconds(working_time, booking, weeks):
            week = result[index]
            week.load = Load(week.load.scheduled_seconds + seconds, week.load.available_seconds)
            week.tasks.append(_booked(task, booking, seconds, readable, paths, marks))
    for week in result:
        week.tasks.sort(key=lambda booked: (-booked.seconds, booked.start, booked.label))
    return result


def _tasks(dbsession: Session, bookings: list[Booking]) -> dict[int, Task]:
    """The booked tasks with their status and project, by id (one query, none without)."""
    ids = {booking.task_id for booking in bookings}
    if not ids:
        return {}
    statement = (
        select(Task)
        .where(Task.id.in_(ids))
        .options(joinedload(Task.status), joinedload(Task.project))
    )
    return {task.id: task for task in dbsession.scalars(statement)}


def _booked(
    task: Task,
    booking: Booking,
    seconds: float,
    readable: ReadableProjects,
    paths: dict[int, str],
    marks: dict[int, Standing],
) -> BookedTask:
    if task.project_id not in readable:
        return BookedTask(None, BUSY, booking.start, booking.end, seconds)
    return BookedTask(task, paths[task.id], booking.start, booking.end, seconds, marks[task.id])
