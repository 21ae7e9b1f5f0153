"""The week grid of a person's timesheet: hours per task per day, read from and saved as their
interval time logs.

Rows are the open leaf tasks the person is a resource of, plus every task they logged on that
week; columns are the seven days of the week in the person's zone. A cell holds the hours of
the logs starting that day. Saving asks each cell for its hours: fewer removes the day's last
logs of the task (or shortens the last one), more adds a log in the first free slots of that
day's working hours (the studio calendar, in the studio zone, less vacations and holidays, less
the person's other logs). Every log goes through ``workflow.time_logs``, so the interval form's
rules hold (the task's status, no overlap, dependency dates, locked weeks). A cell that cannot
be saved is refused with its reason and nothing of the grid is saved (the caller's savepoint).

A fingerprint of the week's logs travels with the page: a save whose fingerprint differs from
the week's logs now is refused as a concurrent change.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from ...models import Status, Task, TimeLog, User, Vacation
from ...models.task import task_resources
from ...time_zones import day_bounds, local_day
from ..accounts.readable_projects import ReadableProjects
from ..errors import ValidationError
from ..scheduling.fit import working_intervals
from ..scheduling.plan import Leave
from ..scheduling.snapshot import Calendar, working_calendar
from ..tasks.columns import is_leaf
from ..tasks.paths import task_paths
from ..transactions import savepoint
from ..workflow import actions, rules, time_logs
from ..workflow.pages import OPEN_CODES
from .locks import WEEK_DAYS, find_week, locked_refusal, week_bounds

HOUR = 3600
MAX_CELL_HOURS = 24
STALE_MESSAGE = "Your week changed since you opened it; here is the current one."


@dataclass(frozen=True)
class GridRow:
    """A task of the grid, its path and its logged seconds on each day of the week."""

    task: Task
    path: str
    seconds: tuple[float, ...]

    @property
    def may_log(self) -> bool:
        """Whether the task's status lets time be logged (otherwise its cells are read-only)."""
        return rules.allowed(rules.LOG_TIME, self.task.status.code)


@dataclass(frozen=True)
class WeekGrid:
    """A person's week: the days, the rows, the totals, the working time of each day, the
    fingerprint of the logs and the week's submitted or locked state."""

    monday: date
    days: tuple[date, ...]
    rows: list[GridRow]
    working_seconds: tuple[float, ...]
    fingerprint: str
    week: object = None
    logs: list[TimeLog] = field(default_factory=list)

    @property
    def day_totals(self) -> list[float]:
        return [sum(row.seconds[index] for row in self.rows) for index in range(WEEK_DAYS)]

    @property
    def total(self) -> float:
        return sum(self.day_totals)

    @property
    def working_total(self) -> float:
        return sum(self.working_seconds)


class GridRefused(ValidationError):
    """A save refused: ``problems`` maps (task id, day index) to what is wrong with that cell;
    ``stale`` when the week changed since the page was loaded."""

    def __init__(self, problems: dict[tuple[int, int], str], stale: bool = False) -> None:
        message = STALE_MESSAGE if stale else "Nothing was saved: fix the hours marked below."
        super().__init__(message)
        self.problems = problems
        self.stale = stale


def parse_hours(text: str | None) -> float:
    """Hours as typed in a cell, in seconds: ``2.5``, ``2,5``, ``2:30``, or blank for none.
    ValueError with a sentence for anything else."""
    typed = (text or "").strip().replace(",", ".")
    if not typed:
        return 0.0
    try:
        if ":" in typed:
            hours, minutes = typed.split(":")
            if not minutes.isdigit() or len(minutes) != 2 or int(minutes) > 59:
                raise ValueError(typed)
            value = int(hours) + int(minutes) / 60
        else:
            value = float(typed)
    except ValueError:
        raise ValueError(f"{text!r} is not a number of hours: write 2.5 or 2:30.") from None
    if not 0 <= value <= MAX_CELL_HOURS or value != value:
        raise ValueError(f"Write between 0 and {MAX_CELL_HOURS} hours.")
    return round(value * 60) * 60.0


def format_hours(seconds: float) -> str:
    """Seconds as the hours a cell shows: ``2.5``, ``8``, or blank for none."""
    if not seconds:
        return ""
    return f"{round(seconds / HOUR, 2):g}"


def fingerprint(logs: list[TimeLog], week) -> str:
    """A short digest of the week's logs (ids, versions, times, tasks) and its state."""
    text = (
        ";".join(
            f"{log.id}:{log.version_id}:{log.task_id}:{log.start.isoformat()}:{log.end.isoformat()}"
            for log in sorted(logs, key=lambda log: log.id)
        )
        + f"|{getattr(week, 'state', '')}"
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _week_logs(dbsession: Session, user: User, start: datetime, end: datetime) -> list[TimeLog]:
    """The person's logs starting in the week, with their tasks and statuses (one query)."""
    return list(
        dbsession.scalars(
            select(TimeLog)
            .where(TimeLog.resource_id == user.id, TimeLog.start >= start, TimeLog.start < end)
            .options(joinedload(TimeLog.task).joinedload(Task.status))
            .order_by(TimeLog.start)
        ).unique()
    )


def _open_tasks(dbsession: Session, user: User) -> list[Task]:
    """The open leaf tasks the person is a resource of (one query)."""
    return list(
        dbsession.scalars(
            select(Task)
            .join(Status, Status.id == Task.status_id)
            .join(task_resources, task_resources.c.task_id == Task.id)
            .where(task_resources.c.user_id == user.id, is_leaf(), Status.code.in_(OPEN_CODES))
            .options(joinedload(Task.status))
            .order_by(Task.id)
        ).unique()
    )


def _leaves(dbsession: Session, user: User, start: datetime, end: datetime) -> list[Leave]:
    """The person's vacations and the studio holidays overlapping the week (one query)."""
    rows = dbsession.execute(
        select(Vacation.name, Vacation.start, Vacation.end).where(
            or_(Vacation.user_id == user.id, Vacation.user_id.is_(None)),
            Vacation.start < end,
            Vacation.end > start,
        )
    )
    return [Leave("annual", name or "", first, last) for name, first, last in rows]


def free_slots(
    calendar: Calendar,
    day_start: datetime,
    day_end: datetime,
    leaves: list[Leave],
    taken: list[tuple[datetime, datetime]],
) -> list[tuple[datetime, datetime]]:
    """The working intervals of the calendar between ``day_start`` and ``day_end``, less
    ``leaves`` and the ``taken`` intervals, in order."""
    pieces = []
    for opens, closes in working_intervals(calendar, day_start):
        if opens >= day_end:
            break
        first, last = max(opens, day_start), min(closes, day_end)
        if last > first:
            pieces.append((first, last))
    blocked = sorted([(leave.start, leave.end) for leave in leaves] + list(taken))
    for block_start, block_end in blocked:
        pieces = [
            part
            for first, last in pieces
            for part in ((first, min(last, block_start)), (max(first, block_end), last))
            if part[1] > part[0]
        ]
    return pieces


def _seconds(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds()


def load_week_grid(dbsession: Session, user: User, monday: date, time_zone: str | None) -> WeekGrid:
    """``user``'s week starting ``monday`` (a Monday of ``time_zone``) as a grid, in a fixed
    number of queries whatever the number of tasks and logs."""
    start, end = week_bounds(monday, time_zone)
    days = tuple(monday + timedelta(days=index) for index in range(WEEK_DAYS))
    logs = _week_logs(dbsession, user, start, end)
    tasks = {task.id: task for task in _open_tasks(dbsession, user)}
    for log in logs:
        tasks.setdefault(log.task.id, log.task)
    paths = task_paths(dbsession, tasks.values())
    seconds = {task_id: [0.0] * WEEK_DAYS for task_id in tasks}
    for log in logs:
        seconds[log.task_id][(local_day(log.start, time_zone) - monday).days] += log.seconds
    calendar = working_calendar(dbsession)
    leaves = _leaves(dbsession, user, start, end)
    working = tuple(
        60 * _working_minutes(calendar, *day_bounds(day, time_zone), leaves) for day in days
    )
    week = find_week(dbsession, user.id, monday)
    rows = sorted(
        (GridRow(task, paths[task_id], tuple(seconds[task_id])) for task_id, task in tasks.items()),
        key=lambda row: row.path.lower(),
    )
    return WeekGrid(monday, days, rows, working, fingerprint(logs, week), week, logs)


def _working_minutes(calendar: Calendar, start: datetime, end: datetime, leaves) -> float:
    return sum(_seconds(*piece) for piece in free_slots(calendar, start, end, leaves, [])) / 60


@dataclass
class _Cell:
    task: Task
    path: str
    index: int
    day: date
    have: float
    want: float


def save_week_grid(
    dbsession: Session,
    user: User,
    monday: date,
    time_zone: str | None,
    wanted: dict[tuple[int, int], float],
    submitted_fingerprint: str,
    readable: ReadableProjects,
) -> int:
    """Make each cell of ``wanted`` ((task id, day index) → seconds) hold that much of
    ``user``'s time; return the number of cells changed. Raises ``GridRefused`` (the caller
    rolls everything back) when the week changed since ``submitted_fingerprint`` or any cell
    cannot be saved."""
    grid = load_week_grid(dbsession, user, monday, time_zone)
    if submitted_fingerprint != grid.fingerprint:
        raise GridRefused({}, stale=True)
    rows = {row.task.id: row for row in grid.rows}
    problems: dict[tuple[int, int], str] = {}
    cells = []
    for (task_id, index), want in sorted(wanted.items()):
        row = rows.get(task_id)
        if row is None or not 0 <= index < WEEK_DAYS:
            raise GridRefused({}, stale=True)
        have = row.seconds[index]
        if abs(want - have) >= 60:
            cells.append(_Cell(row.task, row.path, index, grid.days[index], have, want))
    for cell in cells:
        if not rules.allowed(rules.LOG_TIME, cell.task.status.code):
            problems[(cell.task.id, cell.index)] = actions.why_not(cell.task.status, rules.LOG_TIME)
    start, end = week_bounds(monday, time_zone)
    if cells and not problems:
        refusal = locked_refusal(dbsession, user.id, start, end)
        if refusal is not None:
            raise GridRefused({(cell.task.id, cell.index): refusal.message for cell in cells})
    if problems:
        raise GridRefused(problems)
    logs_by_cell: dict[tuple[int, int], list[TimeLog]] = {}
    for log in grid.logs:
        key = (log.task_id, (local_day(log.start, time_zone) - monday).days)
        logs_by_cell.setdefault(key, []).append(log)
    for cell in (cell for cell in cells if cell.want < cell.have):
        _attempt(dbsession, cell, problems, lambda c=cell: _reduce(dbsession, c, logs_by_cell))
    calendar = working_calendar(dbsession)
    leaves = _leaves(dbsession, user, start, end)
    for cell in (cell for cell in cells if cell.want > cell.have):
        _attempt(
            dbsession,
            cell,
            problems,
            lambda c=cell: _add(dbsession, user, c, calendar, leaves, time_zone, readable),
        )
    if problems:
        raise GridRefused(problems)
    return len(cells)


def _attempt(dbsession: Session, cell: _Cell, problems: dict, action) -> None:
    """Run one cell's change in a savepoint of its own, noting its refusal."""
    try:
        with savepoint(dbsession):
            action()
    except ValidationError as error:
        problems[(cell.task.id, cell.index)] = error.message


def _reduce(dbsession: Session, cell: _Cell, logs_by_cell: dict) -> None:
    """Remove the cell's last logs, or shorten the last one, down to its wanted seconds."""
    excess = cell.have - cell.want
    for log in sorted(logs_by_cell.get((cell.task.id, cell.index), []), key=lambda x: x.start)[
        ::-1
    ]:
        if excess <= 0:
            break
        if log.seconds <= excess:
            excess -= log.seconds
            time_logs.delete_time_log(dbsession, log, submitted_version=log.version_id)
        else:
            time_logs.update_time_log(
                dbsession,
                log,
                start=log.start,
                end=log.end - timedelta(seconds=excess),
                submitted_version=log.version_id,
            )
            excess = 0


def _add(
    dbsession: Session,
    user: User,
    cell: _Cell,
    calendar: Calendar,
    leaves: list[Leave],
    time_zone: str | None,
    readable: ReadableProjects,
) -> None:
    """Log the cell's missing seconds in the first free slots of its day's working hours."""
    missing = cell.want - cell.have
    day_start, day_end = day_bounds(cell.day, time_zone)
    working = sum(
        _seconds(*piece) for piece in free_slots(calendar, day_start, day_end, leaves, [])
    )
    taken = [
        (log.start, log.end)
        for log in time_logs.time_logs_between(dbsession, user, day_start, day_end)
    ]
    slots = free_slots(calendar, day_start, day_end, leaves, taken)
    free = sum(_seconds(*slot) for slot in slots)
    if cell.want > working:
        raise ValidationError(
            f"{format_hours(cell.want)} h do not fit in the day's "
            f"{format_hours(working) or 0} h of working hours."
        )
    if missing > free:
        raise ValidationError(
            f"{format_hours(missing)} more hours do not fit: only {format_hours(free) or 0} h of "
            "the day's working hours are free of your other time logs."
        )
    for slot_start, slot_end in slots:
        if missing <= 0:
            break
        length = min(missing, _seconds(slot_start, slot_end))
        time_logs.create_time_log(
            dbsession,
            cell.task,
            user,
            slot_start,
            slot_start + timedelta(seconds=length),
            readable=readable,
        )
        missing -= length
