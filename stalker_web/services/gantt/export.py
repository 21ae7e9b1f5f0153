"""The project chart as one image: the whole tree (or a task's subtree) flattened in tree order,
up to ``EXPORT_MAX_ROWS`` rows, with every dependency arrow between the rows it holds.

The rows are read shallowest first, so when the tree is larger than the limit the image keeps
its upper levels whole and leaves out the deepest tasks (and says so)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ...models import Project, Status, Task
from ...models.task_path import subtree_pattern
from ..tasks.graph import child_counts
from .marks import effective_start
from .project_chart import TaskRow, build_rows, dependencies_of
from .window import Window

EXPORT_MAX_ROWS = 2000
_FAR_FUTURE = datetime.max


@dataclass
class ExportedTree:
    """The rows of the image, in tree order, and whether deeper tasks were left out."""

    rows: list[TaskRow]
    truncated: bool
    limit: int


def _sibling_order(task: Task):
    start = effective_start(task)
    return (start is None, start.replace(tzinfo=None) if start else _FAR_FUTURE, task.name, task.id)


def tree_order(tasks: list[Task], top_parent_id: int | None) -> list[Task]:
    """``tasks`` depth first, siblings earliest first (as the chart's pages sort them)."""
    children: dict[int | None, list[Task]] = {}
    for task in tasks:
        children.setdefault(task.parent_id, []).append(task)
    ordered: list[Task] = []
    stack = sorted(children.get(top_parent_id, []), key=_sibling_order, reverse=True)
    while stack:
        task = stack.pop()
        ordered.append(task)
        stack.extend(sorted(children.get(task.id, []), key=_sibling_order, reverse=True))
    return ordered


@dataclass(frozen=True)
class DrawnTask:
    """A task as the image draws it: the columns its row needs and its status (read as plain
    rows: 2,000 full ORM tasks took longer to load than the image takes to write)."""

    id: int
    name: str
    parent_id: int | None
    depth: int
    is_milestone: bool
    start: datetime | None
    end: datetime | None
    computed_start: datetime | None
    computed_end: datetime | None
    computed_float_seconds: float | None
    computed_critical: bool
    status: Status


_DRAWN_COLUMNS = [name for name in DrawnTask.__dataclass_fields__ if name != "status"]


def _drawn_tasks(dbsession: Session, scope: Select, limit: int) -> list[DrawnTask]:
    """The first ``limit`` tasks of ``scope``, shallowest first (two queries)."""
    rows = dbsession.execute(
        select(Task.status_id, *(getattr(Task, name) for name in _DRAWN_COLUMNS))
        .where(Task.id.in_(scope))
        .order_by(Task.depth, Task.id)
        .limit(limit)
    ).all()
    wanted = {row.status_id for row in rows}
    statuses = {
        status.id: status
        for status in (
            dbsession.scalars(select(Status).where(Status.id.in_(wanted))) if wanted else ()
        )
    }
    return [DrawnTask(*row[1:], status=statuses[row.status_id]) for row in rows]


def exported_tree(
    dbsession: Session,
    project: Project,
    parent: Task | None,
    window: Window,
    limit: int = EXPORT_MAX_ROWS,
) -> ExportedTree:
    """The project's tasks (or ``parent``'s subtree) as rows of one image, in four queries
    whose size does not follow the number of rows: the child counts and dependencies are read
    for the whole scope (a subquery), not through a list of the ids loaded."""
    scope = select(Task.id).where(Task.project_id == project.id)
    if parent is not None:
        scope = scope.where(Task.path.like(subtree_pattern(parent.path)), Task.id != parent.id)
    tasks = _drawn_tasks(dbsession, scope, limit + 1)
    truncated = len(tasks) > limit
    tasks = tree_order(tasks[:limit], parent.id if parent is not None else None)
    loaded = {task.id for task in tasks}
    counts = child_counts(dbsession, scope)
    dependencies = [
        dependency for dependency in dependencies_of(dbsession, scope) if dependency[0] in loaded
    ]
    rows = build_rows(window, tasks, counts, dependencies)
    return ExportedTree(rows, truncated, limit)


@dataclass
class ImageRow:
    """A row of the downloadable image: its label column and its shapes."""

    label: str
    note: str
    depth: int
    marks: list
    arrows: list
    outside: object = None
    task_id: int | None = None


def task_image_rows(
    rows: list[TaskRow], base_depth: int = 0, paths: bool = False
) -> list[ImageRow]:
    """Task rows as image rows, indented from ``base_depth``; ``paths`` labels them by their
    full paths (for a person's chart, where tasks come from anywhere)."""
    return [
        ImageRow(
            label=row.path if paths else row.task.name,
            note="",
            depth=max(row.task.depth - base_depth, 0),
            marks=row.marks,
            arrows=row.arrows,
            outside=row.outside,
            task_id=row.task.id,
        )
        for row in rows
    ]


def person_image_rows(rows: list) -> list[ImageRow]:
    """Department member rows as image rows (their role as the note)."""
    return [
        ImageRow(
            label=row.user.name,
            note=row.role.name if row.role is not None else "",
            depth=0,
            marks=row.marks,
            arrows=[],
        )
        for row in rows
    ]
