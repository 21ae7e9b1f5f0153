"""The project Gantt chart: one level of the task tree at a time (the roots, or a task's
children), a page of rows at a time, each with its bar, its milestone or nothing yet, and the
dependency arrows between the rows of that level and page; a fixed number of queries whatever
the size of the project."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...models import Project, ScheduleBaseline, Status, Task, TaskDependency, User
from ...pagination import Page, paginate
from ..accounts.readable_projects import ReadableProjects
from ..scheduling.baselines import baseline_dates, baseline_label
from ..scheduling.critical_path import CriticalPath, chosen_critical_path, stored_float_texts
from ..scheduling.why import why_here
from ..tasks.graph import child_counts, children_of
from ..tasks.paths import PATH_SEPARATOR, task_paths
from .marks import (
    Arrow,
    Mark,
    OutsideHint,
    RecordedDates,
    dependency_arrows,
    explain_marks,
    outside_hint,
    task_dates,
    task_marks,
)
from .window import ResolvedWindow, Window, resolve_window

PER_PAGE = 100


@dataclass
class TaskRow:
    """A task as a chart row: its shapes, the arrows ending at it and what it waits for."""

    task: Task
    child_count: int = 0
    marks: list[Mark] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    waits_for: list[str] = field(default_factory=list)
    outside: OutsideHint | None = None
    # Its full path ("LHK / SQ01 / SQ01_SH010 / Layout"), when the page names it by path.
    path: str = ""

    @property
    def parent_path(self) -> str:
        """Where it sits: its full path without its own name ("LHK / SQ01 / SQ01_SH010")."""
        return self.path.removesuffix(PATH_SEPARATOR + self.task.name)

    @property
    def people(self) -> list[User]:
        """Who works on it: the computed resources once scheduled, else the assigned ones."""
        if self.task.is_scheduled and self.task.computed_resources:
            return self.task.computed_resources
        return self.task.resources


def sort_start():
    """The SQL expression rows are sorted by (computed start, else planned start)."""
    return func.coalesce(Task.computed_start, Task.start)


def task_rows_statement() -> Select:
    """Tasks with what their rows show, earliest first, undated last (of their people only the
    names the tooltips give)."""
    start = sort_start()
    return (
        select(Task)
        .options(
            joinedload(Task.status),
            selectinload(Task.resources).load_only(User.name),
            selectinload(Task.computed_resources).load_only(User.name),
        )
        .order_by(start.is_(None), start, Task.name, Task.id)
    )


def _as_date(moment: datetime | None) -> date | None:
    return None if moment is None else moment.date()


def natural_span(dbsession: Session, project: Project) -> tuple[date, date] | None:
    """The days the project covers: its own dates and its tasks' (computed or planned)."""
    first, last = dbsession.execute(
        select(
            func.min(func.coalesce(Task.computed_start, Task.start, Task.computed_end, Task.end)),
            func.max(func.coalesce(Task.computed_end, Task.end, Task.computed_start, Task.start)),
        ).where(Task.project_id == project.id)
    ).one()
    firsts = [d for d in (project.start, project.computed_start, first) if d is not None]
    lasts = [d for d in (project.end, project.computed_end, last) if d is not None]
    if not firsts and not lasts:
        return None
    first_day = _as_date(min(firsts)) if firsts else _as_date(min(lasts))
    last_day = _as_date(max(lasts)) if lasts else _as_date(max(firsts))
    return (first_day, max(first_day, last_day))


def _parent_span(parent: Task) -> tuple[date, date] | None:
    dates = task_dates(parent)
    return None if dates is None else (dates.start.date(), dates.end.date())


def project_window(
    dbsession: Session,
    project: Project,
    parent: Task | None,
    first: date | None,
    last: date | None,
    zoom: str | None,
    today: date,
) -> ResolvedWindow:
    """The window asked for, the missing ends taken from the dates of the level shown (the
    parent task's, else the project's)."""
    natural = None
    if first is None or last is None:
        natural = _parent_span(parent) if parent is not None else None
        natural = natural or natural_span(dbsession, project)
    return resolve_window(first, last, zoom, natural, today)


def dependencies_of(
    dbsession: Session, task_ids: list[int] | Select
) -> list[tuple[int, int, str, str]]:
    """(task id, depends-on id, target, depends-on name) of what the tasks (ids, or a SELECT of
    ids) wait for."""
    if not isinstance(task_ids, Select) and not task_ids:
        return []
    rows = dbsession.execute(
        select(
            TaskDependency.task_id,
            TaskDependency.depends_on_id,
            TaskDependency.dependency_target,
            Task.name,
        )
        .join(Task, Task.id == TaskDependency.depends_on_id)
        .where(TaskDependency.task_id.in_(task_ids))
        .order_by(Task.name, Task.id)
    ).all()
    return [(task_id, other, str(target), name) for task_id, other, target, name in rows]


def waiting_label(name: str, target: str) -> str:
    return f"{name} (its start)" if target == "onstart" else name


def build_rows(
    window: Window,
    tasks: list[Task],
    counts: dict[int, int],
    dependencies: list[tuple[int, int, str, str]],
    recorded: dict[int, RecordedDates] | None = None,
) -> list[TaskRow]:
    """The rows of ``tasks`` (one fragment, in order), arrows joining the rows among them, each
    with its dates in the chosen baseline (``recorded``) when one is chosen."""
    recorded = recorded or {}
    arrows = dependency_arrows(window, tasks, [(t, d, target) for t, d, target, _ in dependencies])
    waits: dict[int, list[str]] = {}
    for task_id, _, target, name in dependencies:
        waits.setdefault(task_id, []).append(waiting_label(name, target))
    return [
        TaskRow(
            task=task,
            child_count=counts.get(task.id, 0),
            marks=task_marks(
                task, window, container=counts.get(task.id, 0) > 0, recorded=recorded.get(task.id)
            ),
            arrows=arrows.get(task.id, []),
            waits_for=waits.get(task.id, []),
            outside=outside_hint(task, window),
        )
        for task in tasks
    ]


def level_page(
    dbsession: Session,
    project: Project,
    parent: Task | None,
    window: Window,
    number: int = 1,
    per_page: int = PER_PAGE,
    baseline: ScheduleBaseline | None = None,
) -> Page:
    """One page of ``parent``'s children (the root tasks when None) as chart rows, each with its
    full path (for its tooltip) and its dates in ``baseline`` under its bar when one is chosen."""
    statement = task_rows_statement().where(
        Task.project_id == project.id,
        children_of(parent),
    )
    page = paginate(dbsession, statement, number, per_page, params=window.query())
    ids = [task.id for task in page.items]
    paths = task_paths(dbsession, page.items)
    page.items = build_rows(
        window,
        page.items,
        child_counts(dbsession, ids),
        dependencies_of(dbsession, ids),
        recorded_dates(dbsession, baseline, ids),
    )
    for row in page.items:
        row.path = paths[row.task.id]
    return page


@dataclass(frozen=True)
class CriticalChoice:
    """Whether the chart highlights the critical path, and towards which milestone (None: the
    project's end)."""

    shown: bool = False
    milestone_id: int | None = None

    def query(self) -> dict:
        """The query parameters keeping the choice in the chart's links."""
        if not self.shown:
            return {}
        return {"critical": 1, **({"milestone": self.milestone_id} if self.milestone_id else {})}


def explain_rows(
    dbsession: Session,
    project: Project,
    rows: list[TaskRow],
    choice: CriticalChoice,
    readable: ReadableProjects | None = None,
    *,
    say_why: bool = True,
) -> CriticalPath | None:
    """Say in the rows' tooltips each task's float and (unless not ``say_why``) what holds a
    leaf task's start, and flag the critical tasks (and containers holding one) when
    ``choice.shown``; in place, in a fixed number of queries. Towards the project's end the
    float and critical marks are those the last schedule run kept on the tasks and only the
    rows' leaves are explained, so the cost follows the rows shown, not the project; towards a
    milestone the whole project's path is walked and returned (None otherwise, or when the
    project was never scheduled)."""
    if choice.milestone_id is not None:
        path, _ = chosen_critical_path(dbsession, project, choice.milestone_id, readable)
        if path is None:
            return None
        reasons = {task_id: why.first_text for task_id, why in path.why.items() if say_why}
        critical = path.critical_ids if choice.shown else set()
        for row in rows:
            explain_marks(row.marks, reasons, path.float_texts, critical)
        return path
    tasks = [row.task for row in rows]
    leaves = [row.task.id for row in rows if not row.child_count]
    why = why_here(dbsession, leaves, readable) if say_why else {}
    reasons = {task_id: reasons.first_text for task_id, reasons in why.items()}
    floats = stored_float_texts(dbsession, tasks)
    critical = {task.id for task in tasks if task.computed_critical} if choice.shown else set()
    for row in rows:
        explain_marks(row.marks, reasons, floats, critical)
    return None


def recorded_dates(
    dbsession: Session, baseline: ScheduleBaseline | None, task_ids: list[int]
) -> dict[int, RecordedDates]:
    """The tasks' dates in ``baseline`` (nothing when none is chosen), labelled for tooltips."""
    if baseline is None:
        return {}
    label = baseline_label(baseline)
    return {
        task_id: RecordedDates(start, end, label)
        for task_id, (start, end) in baseline_dates(dbsession, baseline, task_ids).items()
    }


def legend_statuses(rows: list[TaskRow]) -> list[Status]:
    """The statuses of the rows shown, each once, in order of appearance."""
    seen: dict[int, Status] = {}
    for row in rows:
        seen.setdefault(row.task.status.id, row.task.status)
    return list(seen.values())
