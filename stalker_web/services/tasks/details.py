"""What the task page shows about one task, loaded in a fixed number of queries."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...models import Shot, Task, TaskDependency, User
from ...models.task_path import subtree_pattern
from ...pagination import Page
from .commands import ancestors, responsible_users
from .dates import DatesSummary, dates_summary
from .paths import task_paths
from .tree_page import TreeFilters, children_page

CHILDREN_SHOWN = 50


@dataclass
class TaskDetails:
    """A task with its place in the tree, its dependencies both ways (every task named by its
    path), its people and where it stands against its dates."""

    task: Task
    ancestors: list[Task]
    children: Page
    subtree_size: int
    upstream: list[TaskDependency]
    downstream: list[TaskDependency]
    responsible: list[User]
    responsible_inherited: bool
    paths: dict[int, str]
    dates: DatesSummary


def _dependencies(dbsession: Session, column, other) -> list[TaskDependency]:
    """The dependency rows whose ``column`` is the task, with the task at the other end."""
    return list(
        dbsession.scalars(
            select(TaskDependency).where(column).options(joinedload(other).joinedload(Task.status))
        ).unique()
    )


def _load_people(dbsession: Session, task: Task) -> None:
    """Load the task's user lists, type and (for a shot) its shot relations in one round each."""
    options = [
        selectinload(Task.resources),
        selectinload(Task.alternative_resources),
        selectinload(Task.computed_resources),
        selectinload(Task.watchers),
        selectinload(Task.responsible),
        joinedload(Task.type),
        joinedload(Task.created_by),
        joinedload(Task.updated_by),
    ]
    if isinstance(task, Shot):
        options += [
            joinedload(Shot.sequence),
            joinedload(Shot.scene),
            joinedload(Shot.image_format),
        ]
    dbsession.execute(select(type(task)).where(Task.id == task.id).options(*options)).unique().all()


def task_details(
    dbsession: Session,
    task: Task,
    *,
    responsible: list[User] | None = None,
    now: datetime | None = None,
) -> TaskDetails:
    """Everything the task page shows about ``task`` (``responsible``: its responsible users,
    own or inherited, when the caller has them already), its dates judged at ``now``."""
    _load_people(dbsession, task)
    upstream = _dependencies(
        dbsession, TaskDependency.task_id == task.id, TaskDependency.depends_on
    )
    downstream = _dependencies(
        dbsession, TaskDependency.depends_on_id == task.id, TaskDependency.task
    )
    upstream.sort(key=lambda dependency: dependency.depends_on.name.lower())
    downstream.sort(key=lambda dependency: dependency.task.name.lower())
    children = children_page(dbsession, task.project, task, TreeFilters(), per_page=CHILDREN_SHOWN)
    subtree_size = (
        dbsession.scalar(
            select(func.count(Task.id)).where(Task.path.like(subtree_pattern(task.path)))
        )
        if children.total
        else 1
    )
    if responsible is None:
        responsible = responsible_users(dbsession, [task])[task.id]
    named = [task, *(d.depends_on for d in upstream), *(d.task for d in downstream)]
    return TaskDetails(
        task=task,
        ancestors=ancestors(dbsession, task),
        children=children,
        subtree_size=subtree_size,
        upstream=upstream,
        downstream=downstream,
        responsible=responsible,
        responsible_inherited=bool(responsible) and not task.responsible,
        paths=task_paths(dbsession, named),
        dates=dates_summary(dbsession, task, now or datetime.now(UTC)),
    )
