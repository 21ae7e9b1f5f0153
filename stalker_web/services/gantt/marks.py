"""What a Gantt row draws: task bars, milestones, vacations, busy lanes and dependency arrows.

Everything is in pixels along the window (``Window.x``) and pixels down the row; templates turn
the x positions into percentages of the chart's width, so a printed chart can shrink to the page
without distorting the rows. A task's bar uses the dates TaskJuggler computed when it has both,
else its planned dates, flagged ``planned`` so it is drawn differently.
"""

from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from ...models import Task
from .window import Window

ROW_HEIGHT = 28
BAR_TOP, BAR_HEIGHT = 7, 14
MIN_BAR_WIDTH = 2.0
# Arrow heads by direction, drawn at the arrow's end (gantt.js reads them from the table).
HEAD_POINTS = {"right": "0,0 -5,-4 -5,4", "down": "0,0 -4,-5 4,-5", "up": "0,0 -4,5 4,5"}
MAX_LANES = 5


@dataclass(frozen=True)
class TaskDates:
    """The dates a task is drawn with, and whether they are the planned ones."""

    start: datetime
    end: datetime
    planned: bool


def task_dates(task: Task) -> TaskDates | None:
    """The computed dates when scheduled, else the planned ones; a milestone needs one date.

    None when there is nothing to draw yet.
    """
    if task.computed_start is not None and task.computed_end is not None:
        return TaskDates(task.computed_start, task.computed_end, planned=False)
    if task.start is not None and task.end is not None:
        return TaskDates(task.start, task.end, planned=True)
    if task.is_milestone:
        moment = task.computed_start or task.computed_end
        if moment is not None:
            return TaskDates(moment, moment, planned=False)
        moment = task.start or task.end
        if moment is not None:
            return TaskDates(moment, moment, planned=True)
    return None


def effective_start(task: Task) -> datetime | None:
    """The date rows are sorted by: computed start, else planned start (as the SQL sorts)."""
    return task.computed_start or task.start


@dataclass
class Mark:
    """One shape of a row. ``kind`` is bar, summary (a task with children), milestone, baseline
    (the planned dates under a scheduled bar), recorded (its dates in a chosen schedule
    baseline), vacation or lane (a task on a person's row)."""

    kind: str
    x: float
    width: float = 0.0
    planned: bool = False
    color: str = "#cccccc"
    title: str = ""
    task_id: int | None = None
    clipped_start: bool = False
    clipped_end: bool = False
    y: float = BAR_TOP
    height: float = BAR_HEIGHT
    critical: bool = False  # on the critical path (or a container holding part of it)

    @property
    def css(self) -> str:
        """The CSS classes of the shape."""
        classes = [self.kind]
        if self.task_id is not None:
            classes.append("planned" if self.planned else "computed")
        if self.critical:
            classes.append("critical")
        classes += ["clipped-start"] * self.clipped_start + ["clipped-end"] * self.clipped_end
        return " ".join(classes)


@dataclass(frozen=True)
class OutsideHint:
    """A task drawn outside the window: on which side, and when it starts or ends."""

    side: str
    moment: datetime


def _date_label(moment: datetime) -> str:
    return (
        moment.strftime("%Y-%m-%d %H:%M") if moment.hour or moment.minute else f"{moment:%Y-%m-%d}"
    )


def dates_title(name: str, dates: TaskDates, milestone: bool = False) -> str:
    """The tooltip of a task's shape: its name, its dates and where they come from."""
    source = "planned, not scheduled yet" if dates.planned else "scheduled"
    if milestone:
        return f"{name}: milestone on {_date_label(dates.start)} ({source})"
    return f"{name}: {_date_label(dates.start)} to {_date_label(dates.end)} ({source})"


def span_mark(kind: str, window: Window, start: datetime, end: datetime, **values) -> Mark | None:
    """A horizontal shape from ``start`` to ``end`` cut to the window (None when outside it)."""
    if not window.overlaps(start, end):
        return None
    x1, x2 = window.x(start), window.x(end)
    left, right = max(x1, 0.0), min(x2, window.width)
    width = max(right - left, MIN_BAR_WIDTH)
    left = min(left, window.width - width)
    return Mark(kind, left, width, clipped_start=x1 < 0, clipped_end=x2 > window.width, **values)


@dataclass(frozen=True)
class RecordedDates:
    """A task's dates in a chosen schedule baseline, and how to name that baseline."""

    start: datetime
    end: datetime
    label: str


def recorded_mark(task: Task, window: Window, recorded: RecordedDates) -> Mark | None:
    """The thin bar of a task's dates in a chosen baseline, under its current bar."""
    if task.is_milestone:
        what = f"milestone on {_date_label(recorded.end)}"
    else:
        what = f"{_date_label(recorded.start)} to {_date_label(recorded.end)}"
    return span_mark(
        "recorded",
        window,
        recorded.start,
        recorded.end,
        title=f"{task.name} in the baseline of {recorded.label}: {what}",
        y=BAR_TOP + BAR_HEIGHT + 2,
        height=4,
    )


def task_marks(
    task: Task, window: Window, *, container: bool = False, recorded: RecordedDates | None = None
) -> list[Mark]:
    """The shapes of a task's row: its bar (a summary bar for a container) or its milestone
    diamond, plus a thin bar under it: its dates in the ``recorded`` baseline when one is
    chosen, else its planned dates when it is drawn with computed ones."""
    dates = task_dates(task)
    if dates is None:
        return []
    color = task.status.color
    under = None if recorded is None else recorded_mark(task, window, recorded)
    if task.is_milestone:
        if not window.contains(dates.start):
            return [under] if under is not None else []
        title = dates_title(task.name, dates, milestone=True)
        x = window.x(dates.start)
        diamond = Mark(
            "milestone", x, planned=dates.planned, color=color, title=title, task_id=task.id
        )
        return [diamond] + ([under] if under is not None else [])
    marks = []
    bar = span_mark(
        "summary" if container else "bar",
        window,
        dates.start,
        dates.end,
        planned=dates.planned,
        color=color,
        title=dates_title(task.name, dates),
        task_id=task.id,
    )
    if bar is not None:
        marks.append(bar)
    if recorded is not None:
        return marks + ([under] if under is not None else [])
    if not dates.planned and task.start is not None and task.end is not None:
        baseline = span_mark(
            "baseline",
            window,
            task.start,
            task.end,
            planned=True,
            title=f"{task.name}: planned {_date_label(task.start)} to {_date_label(task.end)}",
            y=BAR_TOP + BAR_HEIGHT + 2,
            height=3,
        )
        if baseline is not None:
            marks.append(baseline)
    return marks


TASK_SHAPES = ("bar", "summary", "milestone", "lane")


def explain_marks(
    marks: Iterable[Mark],
    reasons: Mapping[int, str],
    floats: Mapping[int, str] | None = None,
    critical: Container[int] = (),
) -> None:
    """Add to the tooltips of the task shapes among ``marks`` their float (``floats``, by task
    id) and what holds their start (``reasons``), and flag those in ``critical``; in place."""
    for mark in marks:
        if mark.kind not in TASK_SHAPES or mark.task_id is None:
            continue
        if floats is not None and mark.task_id in floats:
            mark.title += f" · float: {floats[mark.task_id]}"
        if reasons.get(mark.task_id):
            mark.title += f" · {reasons[mark.task_id]}"
        mark.critical = mark.task_id in critical


def outside_hint(task: Task, window: Window) -> OutsideHint | None:
    """Where a dated task lies when none of it is in the window."""
    dates = task_dates(task)
    if dates is None or window.overlaps(dates.start, dates.end):
        return None
    if dates.end < window.start:
        return OutsideHint("before", dates.end)
    return OutsideHint("after", dates.start)


@dataclass
class Segment:
    """A straight piece of an arrow, in the successor row's coordinates."""

    x1: float
    y1: float
    x2: float
    y2: float


@dataclass
class ArrowGeometry:
    """The pieces of an arrow and where its head points (right, down or up)."""

    segments: list[Segment]
    head_x: float
    head_y: float
    head: str


def arrow_geometry(x1: float, x2: float, dy: float) -> ArrowGeometry:
    """An elbow arrow drawn in the successor's row, from the predecessor's bar (``dy`` pixels
    below this row's top: negative when it is above) at ``x1`` into the successor's bar at ``x2``.

    It leaves the predecessor's bar through its bottom (or top) edge, runs to this row's middle
    and right into the bar; when the successor starts before ``x1`` it runs along the gap between
    the rows and enters the bar from above (or below). ``gantt.js`` draws the same shape again
    when rows are inserted between the two.
    """
    middle = ROW_HEIGHT / 2
    down = 1 if dy < 0 else -1
    leave = dy + middle + down * BAR_HEIGHT / 2
    if x2 >= x1:
        return ArrowGeometry(
            [Segment(x1, leave, x1, middle), Segment(x1, middle, x2, middle)], x2, middle, "right"
        )
    gap = middle - down * ROW_HEIGHT / 2
    enter = middle - down * BAR_HEIGHT / 2
    return ArrowGeometry(
        [Segment(x1, leave, x1, gap), Segment(x1, gap, x2, gap), Segment(x2, gap, x2, enter)],
        x2,
        enter,
        "down" if down == 1 else "up",
    )


@dataclass
class Arrow:
    """A dependency drawn between two rows of one fragment: ``to_id`` waits for ``from_id``."""

    from_id: int
    to_id: int
    x1: float
    x2: float
    rows_apart: int
    target: str
    geometry: ArrowGeometry = field(init=False)

    def __post_init__(self) -> None:
        self.geometry = arrow_geometry(self.x1, self.x2, self.rows_apart * ROW_HEIGHT)


def dependency_arrows(
    window: Window, tasks: list[Task], dependencies: Iterable[tuple[int, int, str]]
) -> dict[int, list[Arrow]]:
    """The arrows between ``tasks`` (the rows of one fragment, in their order), by the id of
    the waiting task; ``dependencies`` are (task id, depends-on id, "onend"/"onstart") triples.
    A dependency on a task outside the rows, or between undated tasks, draws nothing."""
    index = {task.id: number for number, task in enumerate(tasks)}
    by_id = {task.id: task for task in tasks}
    arrows: dict[int, list[Arrow]] = {}
    for task_id, depends_on_id, target in dependencies:
        if task_id not in index or depends_on_id not in index:
            continue
        before, after = task_dates(by_id[depends_on_id]), task_dates(by_id[task_id])
        if before is None or after is None:
            continue
        x1 = window.clamped_x(before.start if target == "onstart" else before.end)
        x2 = window.clamped_x(after.start)
        arrow = Arrow(depends_on_id, task_id, x1, x2, index[depends_on_id] - index[task_id], target)
        arrows.setdefault(task_id, []).append(arrow)
    return arrows


def today_x(window: Window, now: datetime) -> float | None:
    """Where the today line goes, or None when now is outside the window."""
    return window.x(now) if window.contains(now) else None


def lane_marks(window: Window, tasks: Iterable[Task]) -> list[Mark]:
    """A person's tasks as bars in stacked lanes so overlapping work stays visible: each task
    takes the first lane free at its start (at most ``MAX_LANES``; more overlap shares the last)."""
    placed: list[tuple[Mark, int]] = []
    lane_ends: list[datetime] = []
    dated = [(dates, task) for task in tasks if (dates := task_dates(task)) is not None]
    for dates, task in sorted(dated, key=lambda pair: (pair[0].start, pair[1].id)):
        mark = span_mark(
            "lane",
            window,
            dates.start,
            dates.end,
            planned=dates.planned,
            color=task.status.color,
            title=dates_title(task.name, dates),
            task_id=task.id,
        )
        if mark is None:
            continue
        lane = next((n for n, end in enumerate(lane_ends) if end <= dates.start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(dates.end)
        else:
            lane_ends[lane] = dates.end
        placed.append((mark, min(lane, MAX_LANES - 1)))
    lanes = min(len(lane_ends), MAX_LANES) or 1
    height = (ROW_HEIGHT - 4) / lanes
    for mark, lane in placed:
        mark.y, mark.height = 2 + lane * height, max(height - 1, 1.0)
    return [mark for mark, _ in placed]


def vacation_marks(window: Window, vacations: Iterable) -> list[Mark]:
    """Shaded spans for vacations (anything with ``start``, ``end``, ``name`` and ``user_id``;
    a vacation without a user is a studio-wide holiday)."""
    marks = []
    for vacation in vacations:
        who = "Studio holiday" if vacation.user_id is None else "Vacation"
        title = (
            f"{who}: {vacation.name}, {_date_label(vacation.start)} to {_date_label(vacation.end)}"
        )
        mark = span_mark("vacation", window, vacation.start, vacation.end, title=title, y=0)
        if mark is not None:
            mark.height = ROW_HEIGHT
            marks.append(mark)
    return marks
