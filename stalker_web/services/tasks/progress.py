"""Progress figures: scheduled, logged and remaining seconds and percent complete, per task and
summed up the tree, in a fixed number of queries whatever the number of tasks.

Only leaves carry figures; a container's are the sums over the leaves of its subtree (found
through the materialised ``path``). A leaf's scheduled seconds are its schedule timing on the
studio calendar. Its logged seconds depend on its schedule model, as in Stalker:

- effort: the sum of its time logs (wall-clock time from start to end);
- duration: the elapsed calendar part of its range at ``now``;
- length: the elapsed *working* part of its range at ``now``, on the studio's weekly working
  hours (Stalker multiplies elapsed days by the daily hours and gets seconds wrong; see the
  reference, section 10.3).

A leaf's range is TaskJuggler's (``computed_start``/``computed_end``) once scheduled, else its
planned ``start``/``end``; without one nothing has elapsed. Working hours are wall-clock hours
of the studio's time zone (``Studio.time_zone``); stored dates are UTC.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Protocol

from sqlalchemy import (
    ColumnElement,
    Float,
    and_,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import Session

from ...config import WEEKDAYS
from ...db import request_reads
from ...models import Project, Studio, Task, TimeLog
from ...models.schedule import ScheduleModel, WorkingCalendar
from ...models.task_path import subtree_pattern
from ...time_zones import to_local
from .columns import Effort, is_leaf, time_log_seconds, typed_null

# More subtrees than this are read through their projects, not one LIKE per subtree.
MAX_SUBTREE_PATTERNS = 200
ELAPSED_MODELS = (ScheduleModel.DURATION, ScheduleModel.LENGTH)


class StudioCalendar(WorkingCalendar, Protocol):
    """A working calendar that also knows each weekday's working intervals (``Studio`` does)."""

    working_hours: Mapping[str, Sequence[Sequence[int]]]
    time_zone: str


@dataclass(frozen=True)
class Progress:
    """Scheduled and logged seconds, and what follows from them."""

    scheduled_seconds: float = 0.0
    logged_seconds: float = 0.0

    @property
    def remaining_seconds(self) -> float:
        """Scheduled minus logged: negative when the work was over-logged."""
        return self.scheduled_seconds - self.logged_seconds

    @property
    def percent_complete(self) -> float:
        """Logged over scheduled, in percent (0 when nothing is scheduled; may exceed 100)."""
        if not self.scheduled_seconds:
            return 0.0
        return self.logged_seconds / self.scheduled_seconds * 100

    def __add__(self, other: "Progress") -> "Progress":
        return Progress(
            self.scheduled_seconds + other.scheduled_seconds,
            self.logged_seconds + other.logged_seconds,
        )


def studio_calendar(dbsession: Session) -> Studio:
    """The studio whose calendar converts timings (the one row ``stalker-web init`` creates);
    read once per web request (see ``db.request_reads``), however many parts of a page ask."""
    reads = request_reads(dbsession)
    studio = None if reads is None else reads.get(Studio)
    if studio is not None and studio in dbsession:
        return studio
    studio = dbsession.scalars(select(Studio).order_by(Studio.id).limit(1)).first()
    if studio is None:
        raise LookupError("This database has no studio yet: run `stalker-web <ini> init` first.")
    if reads is not None:
        reads[Studio] = studio
    return studio


def task_progress(
    dbsession: Session, tasks: Iterable[Task], calendar: StudioCalendar, now: datetime
) -> dict[int, Progress]:
    """The progress of each of ``tasks`` (flushed ones, ``path`` loaded), by task id: two
    queries, the leaves under them and the time logged on their effort leaves."""
    wanted = {task.id: task for task in tasks if task.id is not None and task.path}
    figures = dict.fromkeys(wanted, Progress())
    if not wanted:
        return figures
    scope = _subtrees(list(wanted.values()))
    leaves = dbsession.execute(
        select(
            Task.id,
            Task.path,
            Task.schedule_timing,
            Task.schedule_unit,
            Task.schedule_model,
            *_range_columns(),
        ).where(scope, is_leaf())
    ).all()
    logged = dict(
        dbsession.execute(
            select(TimeLog.task_id, func.sum(time_log_seconds(dbsession)))
            .join(Task, Task.id == TimeLog.task_id)
            .where(scope, is_leaf(), Task.schedule_model == ScheduleModel.EFFORT)
            .group_by(TimeLog.task_id)
        ).all()
    )
    effort = Effort(calendar)
    for leaf in leaves:
        if leaf.schedule_model is ScheduleModel.EFFORT:
            leaf_logged = float(logged.get(leaf.id) or 0)
        else:
            leaf_logged = elapsed_seconds(leaf.schedule_model, *_range(leaf), now, calendar)
        progress = Progress(
            effort.seconds(leaf.schedule_unit, leaf.schedule_model, leaf.schedule_timing),
            leaf_logged,
        )
        for task_id in _path_ids(leaf.path):
            if task_id in figures:
                figures[task_id] += progress
    return figures


def project_progress(
    dbsession: Session, project: Project, calendar: StudioCalendar, now: datetime
) -> Progress:
    """The project's totals (the sum over its root tasks, so over all its leaves) in one
    statement (see ``projects_progress``)."""
    return projects_progress(dbsession, [project.id], calendar, now)[project.id]


def projects_progress(
    dbsession: Session, project_ids: Iterable[int], calendar: StudioCalendar, now: datetime
) -> dict[int, Progress]:
    """Each project's totals, by project id, in one statement however many projects: the union
    of the scheduled timings summed per project, unit and model, the time logged on effort
    leaves per project, and the ranges of the duration and length leaves (told apart by their
    ``part``)."""
    ids = sorted(set(project_ids))
    totals = {project_id: Progress() for project_id in ids}
    if not ids:
        return totals
    effort = Effort(calendar)
    for row in dbsession.execute(_progress_parts(dbsession, ids)):
        if row.part == _SCHEDULED:
            seconds = effort.seconds(row.schedule_unit, row.schedule_model, row.amount)
            totals[row.project_id] += Progress(float(seconds))
        elif row.part == _LOGGED:
            totals[row.project_id] += Progress(logged_seconds=float(row.amount or 0))
        else:
            elapsed = elapsed_seconds(row.schedule_model, *_range(row), now, calendar)
            totals[row.project_id] += Progress(logged_seconds=elapsed)
    return totals


_SCHEDULED, _LOGGED, _ELAPSED = "scheduled", "logged", "elapsed"


def _progress_parts(dbsession: Session, ids: list[int]):
    """The three parts ``projects_progress`` sums, as one UNION ALL (one round trip); columns
    a part lacks are typed NULLs, so every row reads the same way."""
    in_projects = (Task.project_id.in_(ids), is_leaf())
    ranges = tuple(typed_null(column).label(column.key) for column in _range_columns())
    scheduled = (
        select(
            literal(_SCHEDULED).label("part"),
            Task.project_id,
            Task.schedule_unit,
            Task.schedule_model,
            type_coerce(func.sum(Task.schedule_timing), Float).label("amount"),
            *ranges,
        )
        .where(*in_projects)
        .group_by(Task.project_id, Task.schedule_unit, Task.schedule_model)
    )
    logged = (
        select(
            literal(_LOGGED),
            Task.project_id,
            typed_null(Task.schedule_unit),
            typed_null(Task.schedule_model),
            func.sum(time_log_seconds(dbsession)),
            *ranges,
        )
        .join(Task, Task.id == TimeLog.task_id)
        .where(*in_projects, Task.schedule_model == ScheduleModel.EFFORT)
        .group_by(Task.project_id)
    )
    elapsed = select(
        literal(_ELAPSED),
        Task.project_id,
        typed_null(Task.schedule_unit),
        Task.schedule_model,
        typed_null(Task.schedule_timing),
        *_range_columns(),
    ).where(*in_projects, Task.schedule_model.in_(ELAPSED_MODELS), _has_range())
    return union_all(scheduled, logged, elapsed)


def elapsed_seconds(
    model: ScheduleModel,
    start: datetime | None,
    end: datetime | None,
    now: datetime,
    calendar: StudioCalendar,
) -> float:
    """What a duration or length task has "logged" at ``now``: the part of [start, end] before
    ``now``, in calendar seconds (duration) or working seconds (length); 0 without a range."""
    if start is None or end is None or now <= start:
        return 0.0
    until = min(now, end)
    if model is ScheduleModel.LENGTH:
        return working_seconds(start, until, calendar.working_hours, calendar.time_zone)
    return (until - start).total_seconds()


def working_seconds(
    start: datetime,
    end: datetime,
    working_hours: Mapping[str, Sequence[Sequence[int]]],
    time_zone: str | None = None,
) -> float:
    """The working seconds between ``start`` and ``end`` under the weekly ``working_hours``
    (``{"mon": [[540, 1080]], ...}``, wall-clock minutes of the day in ``time_zone``, UTC when
    None). Whole weeks are counted at once, so a long range costs no more than a short one.

    The count runs on the zone's wall clock, so working hours stay 09:00-18:00 local across a
    change of the clocks; only a working interval holding the skipped or repeated hour itself
    (02:00-03:00 on that night) counts that hour as the wall clock shows it."""
    if end <= start:
        return 0.0
    local_start = to_local(start, time_zone).replace(tzinfo=None)
    local_end = to_local(end, time_zone).replace(tzinfo=None)
    midnight = datetime.combine(local_start.date(), time())
    return _working_seconds_since(midnight, local_end, working_hours) - _working_seconds_since(
        midnight, local_start, working_hours
    )


def working_seconds_outside(
    start: datetime,
    end: datetime,
    working_hours: Mapping[str, Sequence[Sequence[int]]],
    leaves: Iterable,
    time_zone: str | None = None,
) -> float:
    """``working_seconds`` from ``start`` to ``end`` less the working time of ``leaves``
    (anything with a ``start`` and an ``end``: holidays, vacations) inside that range; as fast
    as ``working_seconds`` whatever the length of the range."""
    total = working_seconds(start, end, working_hours, time_zone)
    inside = sorted(
        (max(start, leave.start), min(end, leave.end))
        for leave in leaves
        if leave.start < end and leave.end > start
    )
    merged: list[list[datetime]] = []
    for leave_start, leave_end in inside:
        if merged and leave_start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], leave_end)
        else:
            merged.append([leave_start, leave_end])
    return total - sum(
        working_seconds(first, last, working_hours, time_zone) for first, last in merged
    )


def format_work_time(seconds: float, daily_working_hours: int) -> str:
    """Seconds as hours under a working day ("6.5 h"), else as working days ("12 d")."""
    hours = seconds / 3600
    if abs(hours) < daily_working_hours:
        return f"{_short_number(hours)} h"
    return f"{_short_number(hours / daily_working_hours)} d"


def _short_number(value: float) -> str:
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def _working_seconds_since(
    midnight: datetime, moment: datetime, working_hours: Mapping[str, Sequence[Sequence[int]]]
) -> float:
    weekly = 60 * sum(end - start for day in WEEKDAYS for start, end in working_hours[day])
    weeks = (moment - midnight).days // 7
    total = float(weeks * weekly)
    day = midnight + timedelta(weeks=weeks)
    while day < moment:
        for start_minute, end_minute in working_hours[WEEKDAYS[day.weekday()]]:
            opens = day + timedelta(minutes=start_minute)
            closes = min(moment, day + timedelta(minutes=end_minute))
            if closes > opens:
                total += (closes - opens).total_seconds()
        day += timedelta(days=1)
    return total


def _subtrees(tasks: list[Task]) -> ColumnElement[bool]:
    """The tasks under (or equal to) any of ``tasks``: one prefix LIKE per outermost subtree,
    or, for very many subtrees, their projects (the caller keeps only the wanted figures)."""
    outermost: list[str] = []
    for path in sorted(task.path for task in tasks):
        if not outermost or not path.startswith(outermost[-1]):
            outermost.append(path)
    if len(outermost) > MAX_SUBTREE_PATTERNS:
        return Task.project_id.in_({task.project_id for task in tasks})
    return or_(*(Task.path.like(subtree_pattern(path)) for path in outermost))


def _range_columns() -> tuple:
    return Task.start, Task.end, Task.computed_start, Task.computed_end


def _has_range() -> ColumnElement[bool]:
    return or_(
        and_(Task.computed_start.is_not(None), Task.computed_end.is_not(None)),
        and_(Task.start.is_not(None), Task.end.is_not(None)),
    )


def _range(row) -> tuple[datetime | None, datetime | None]:
    """TaskJuggler's dates when the task is scheduled, else its planned ones."""
    if row.computed_start is not None and row.computed_end is not None:
        return row.computed_start, row.computed_end
    return row.start, row.end


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/")]
