"""The burn-up chart of a project: scheduled, logged and completed work summed week by week,
read as daily sums (one statement whatever the project's size), and the geometry of its SVG.

No dated status history is kept (a status change is an event, not a row), so a completed task's
work is dated by its last approved review, else its last time log, else its last change.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session

from ...models import Project, Review, Status, Task, TimeLog
from ...models.review import ReviewStatus
from ...models.schedule import WorkingCalendar
from ..scheduling.load import WEEK, week_starts
from ..tasks.columns import Effort, day_of, is_leaf, time_log_seconds, typed_null
from ..workflow.rules import CMPL

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 30, 40
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_DATE_LABELS = 8
DATED_BY = (
    "Completed work is dated by each task's last approved review (else its last time log), as "
    "the studio keeps no dated status history."
)


@dataclass(frozen=True)
class Line:
    """One series of the chart: its name, CSS modifier, SVG points and final value."""

    name: str
    kind: str
    points: str
    total_seconds: float


@dataclass(frozen=True)
class Tick:
    """An axis label at ``position`` (x or y in the SVG)."""

    position: float
    label: str


@dataclass(frozen=True)
class BurnUp:
    """Everything the template draws; ``lines`` is empty when there is nothing to draw."""

    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    today_x: float | None
    end_x: float | None
    first_week: date | None
    last_week: date | None
    unit: str
    dated_by: str = DATED_BY
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_width: int = PLOT_WIDTH
    plot_height: int = PLOT_HEIGHT


def _day(value) -> date:
    """A day as the database returns it (a date on PostgreSQL, text on SQLite)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _add(sums: dict[date, float], day, seconds: float) -> None:
    """Add ``seconds`` to the sum of ``day`` (skipping work without a day)."""
    if day is not None and seconds:
        sums[_day(day)] = sums.get(_day(day), 0.0) + seconds


def _completed_on(dbsession: Session):
    """SQL: the moment a completed task's work counts as done (see the module docstring)."""
    approved = (
        select(func.max(Review.date_updated))
        .where(Review.task_id == Task.id, Review.status == ReviewStatus.APPROVED)
        .scalar_subquery()
    )
    last_log = select(func.max(TimeLog.end)).where(TimeLog.task_id == Task.id).scalar_subquery()
    return day_of(dbsession, func.coalesce(approved, last_log, Task.date_updated))


def _read(dbsession: Session, project: Project, calendar: WorkingCalendar):
    """The first computed start, the last computed end and the daily sums of scheduled, logged
    and completed seconds: one statement, the union of the three sums (told apart by ``part``)."""
    effort = Effort(calendar)
    scheduled: dict[date, float] = {}
    logged: dict[date, float] = {}
    completed: dict[date, float] = {}
    starts, ends = [], []
    for part, day, unit, model, total, first_start, last_end in dbsession.execute(
        _daily_sums(dbsession, project)
    ):
        if part == "logged":
            _add(logged, day, float(total or 0))
            continue
        _add(
            completed if part == "completed" else scheduled, day, effort.seconds(unit, model, total)
        )
        starts += [first_start] if first_start is not None else []
        ends += [last_end] if last_end is not None else []
    return min(starts, default=None), max(ends, default=None), scheduled, logged, completed


def _daily_sums(dbsession: Session, project: Project):
    """SQL: the project's leaves' timings summed by planned end day (with the first computed
    start and last computed end), the time logged on them by day, and the timings of the
    completed ones by the day they count as done."""
    leaves = (Task.project_id == project.id, is_leaf())
    timing = (Task.schedule_unit, Task.schedule_model, func.sum(Task.schedule_timing))
    no_range = (typed_null(Task.computed_start), typed_null(Task.computed_end))
    planned_end = day_of(dbsession, func.coalesce(Task.computed_end, Task.end))
    scheduled = (
        select(
            literal("scheduled").label("part"),
            planned_end,
            *timing,
            func.min(Task.computed_start),
            func.max(Task.computed_end),
        )
        .where(*leaves)
        .group_by(planned_end, Task.schedule_unit, Task.schedule_model)
    )
    logged_day = day_of(dbsession, TimeLog.end)
    logged = (
        select(
            literal("logged"),
            logged_day,
            typed_null(Task.schedule_unit),
            typed_null(Task.schedule_model),
            func.sum(time_log_seconds(dbsession)),
            *no_range,
        )
        .join(Task, Task.id == TimeLog.task_id)
        .where(*leaves)
        .group_by(logged_day)
    )
    done_day = _completed_on(dbsession)
    completed = (
        select(literal("completed"), done_day, *timing, *no_range)
        .join(Status, Status.id == Task.status_id)
        .where(*leaves, Status.code == CMPL)
        .group_by(done_day, Task.schedule_unit, Task.schedule_model)
    )
    return union_all(scheduled, logged, completed)


def _cumulative(
    daily: dict[date, float], weeks: list[datetime], until: datetime | None
) -> list[tuple[datetime, float]]:
    """(moment, running total) at the end of each week; with ``until``, the last point is
    ``until`` itself (work is not drawn into the future)."""
    days = sorted(daily)
    prefix = [0.0]
    for day in days:
        prefix.append(prefix[-1] + daily[day])
    points = []
    for week in weeks:
        moment = week + WEEK
        if until is not None and moment > until:
            if week <= until:
                points.append((until, prefix[bisect_right(days, until.date())]))
            break
        points.append((moment, prefix[bisect_left(days, moment.date())]))
    return points


def _nice_step(top: float) -> float:
    raw = top / 5
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def burn_up(
    dbsession: Session, project: Project, calendar: WorkingCalendar, now: datetime
) -> BurnUp:
    """The chart from the project's start (else its first scheduled start or time log) to the
    later of its end and its last computed end, week by week."""
    first_start, last_end, scheduled, logged, completed = _read(dbsession, project, calendar)
    starts = [moment for moment in (project.start, first_start) if moment is not None]
    starts += [_moment(min(logged))] if logged else []
    ends = [moment for moment in (project.end, last_end) if moment is not None]
    if not starts or not ends or not scheduled:
        return BurnUp([], [], [], None, None, None, None, "h")
    first, last = min(starts), max(max(ends), min(starts) + WEEK)
    weeks = week_starts(first, (last - week_starts(first, 1)[0]).days // 7 + 1)
    origin, span = weeks[0], (weeks[-1] + WEEK - weeks[0]).total_seconds()
    series = [
        ("Scheduled", "scheduled", _cumulative(scheduled, weeks, None)),
        ("Logged", "logged", _cumulative(logged, weeks, now)),
        ("Completed", "completed", _cumulative(completed, weeks, now)),
    ]
    top = max((value for _, _, points in series for _, value in points), default=0.0) or 1.0
    hour = 3600.0
    day = calendar.daily_working_hours * hour
    unit, unit_seconds = ("d", day) if top >= 5 * day else ("h", hour)
    step = _nice_step(top / unit_seconds)
    top_units = step * (int(top / unit_seconds / step) + 1)

    def x(moment: datetime) -> float:
        return round(LEFT + (moment - origin).total_seconds() / span * PLOT_WIDTH, 1)

    def y(seconds: float) -> float:
        return round(TOP + PLOT_HEIGHT - seconds / unit_seconds / top_units * PLOT_HEIGHT, 1)

    lines = [
        Line(
            name,
            kind,
            " ".join(f"{x(moment)},{y(value)}" for moment, value in [(origin, 0.0), *points]),
            points[-1][1] if points else 0.0,
        )
        for name, kind, points in series
    ]
    y_ticks = [
        Tick(y(index * step * unit_seconds), f"{index * step:g} {unit}")
        for index in range(int(top_units / step) + 1)
    ]
    every = -(-len(weeks) // MAX_DATE_LABELS)
    x_ticks = [Tick(x(week), f"{week:%d %b}") for week in weeks[::every]]
    end = weeks[-1] + WEEK

    def inside(moment: datetime | None) -> float | None:
        return x(moment) if moment is not None and origin <= moment <= end else None

    return BurnUp(
        lines,
        y_ticks,
        x_ticks,
        inside(now),
        inside(project.end),
        weeks[0].date(),
        weeks[-1].date(),
        "working days" if unit == "d" else "hours",
    )
