"""What the task page shows about one task, loaded in a fixed number of queries."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Integer, String, bindparam, func, inspect, literal, or_, select, union_all
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ...models import Project, Shot, Task, TaskDependency, User
from ...models.task_path import subtree_pattern
from ...pagination import Page
from .dates import DatesSummary, dates_summary
from .paths import full_path
from .people import AUDIT_USERS, PEOPLE_LISTS, TaskPeople, task_people
from .tree_page import TreeFilters, children_page

CHILDREN_SHOWN = 50


@dataclass(frozen=True)
class NamedTask:
    """A task as a breadcrumb shows it."""

    id: int
    name: str


@dataclass
class TaskDetails:
    """A task with its place in the tree, its dependencies both ways (every task named by its
    path), its people and where it stands against its dates."""

    task: Task
    ancestors: list[NamedTask]
    children: Page
    subtree_size: int
    upstream: list[TaskDependency]
    downstream: list[TaskDependency]
    responsible: list[User]
    responsible_inherited: bool
    paths: dict[int, str]
    dates: DatesSummary


def _dependencies(
    dbsession: Session, task: Task
) -> tuple[list[TaskDependency], list[TaskDependency]]:
    """The task's dependency rows both ways, in one query, each with the task at its other
    end: what it waits for (upstream) and what waits for it (downstream), each by name."""
    rows = dbsession.scalars(
        select(TaskDependency)
        .where(or_(TaskDependency.task_id == task.id, TaskDependency.depends_on_id == task.id))
        .options(
            joinedload(TaskDependency.depends_on).joinedload(Task.status),
            joinedload(TaskDependency.task).joinedload(Task.status),
        )
    ).unique()
    upstream, downstream = [], []
    for dependency in rows:
        (upstream if dependency.task_id == task.id else downstream).append(dependency)
    upstream.sort(key=lambda dependency: dependency.depends_on.name.lower())
    downstream.sort(key=lambda dependency: dependency.task.name.lower())
    return upstream, downstream


def _load_people(dbsession: Session, task: Task, people: TaskPeople) -> None:
    """Put the people read once (``people``) on the task's lists and audit fields, and load a
    shot's sequence, scene and image format (one query, for shots only). A list already
    loaded is left as it is: it may hold a change not yet written."""
    if isinstance(task, Shot):
        dbsession.execute(
            select(Shot)
            .where(Shot.id == task.id)
            .options(
                joinedload(Shot.sequence), joinedload(Shot.scene), joinedload(Shot.image_format)
            )
        ).unique().all()
    unloaded = inspect(task).unloaded
    for name in PEOPLE_LISTS:
        if name in unloaded:
            set_committed_value(task, name, people.lists[name])
    for name in AUDIT_USERS:
        if name in unloaded:
            set_committed_value(task, name, getattr(people, name))


def _names_statement():
    """The names of tasks ``task_ids``, the codes of projects ``project_ids`` and the size of
    the subtree under ``subtree`` (a path pattern), as one list of (kind, id, label) rows."""
    task_ids = bindparam("task_ids", type_=Integer, expanding=True)
    project_ids = bindparam("project_ids", type_=Integer, expanding=True)
    subtree = bindparam("subtree", type_=String)
    return union_all(
        select(literal("task", String), Task.id, Task.name).where(Task.id.in_(task_ids)),
        select(literal("project", String), Project.id, Project.code).where(
            Project.id.in_(project_ids)
        ),
        select(literal("subtree", String), func.count(Task.id), literal(None, String)).where(
            Task.path.like(subtree)
        ),
    )


# Built once: only the ids change from page to page.
_NAMES = _names_statement()


def task_details(
    dbsession: Session,
    task: Task,
    *,
    people: TaskPeople | None = None,
    now: datetime | None = None,
) -> TaskDetails:
    """Everything the task page shows about ``task`` (``people``: the people named on it, when
    the caller has read them already), its dates judged at ``now``."""
    people = people or task_people(dbsession, task)
    _load_people(dbsession, task, people)
    upstream, downstream = _dependencies(dbsession, task)
    named = [task, *(d.depends_on for d in upstream), *(d.task for d in downstream)]
    rows = dbsession.execute(
        _NAMES,
        {
            "task_ids": sorted({a for t in named for a in t.ancestor_ids}),
            "project_ids": sorted({t.project_id for t in named}),
            "subtree": subtree_pattern(task.path),
        },
    ).all()
    names = {ref: label for kind, ref, label in rows if kind == "task"}
    codes = {ref: label for kind, ref, label in rows if kind == "project"}
    subtree_size = next(ref for kind, ref, _ in rows if kind == "subtree")
    children = (
        children_page(dbsession, task.project, task, TreeFilters(), per_page=CHILDREN_SHOWN)
        if subtree_size > 1
        else Page(items=[], number=1, per_page=CHILDREN_SHOWN, total=0)
    )
    return TaskDetails(
        task=task,
        ancestors=[NamedTask(a, names[a]) for a in task.ancestor_ids if a in names],
        children=children,
        subtree_size=subtree_size,
        upstream=upstream,
        downstream=downstream,
        responsible=people.responsible,
        responsible_inherited=bool(people.responsible) and not people.lists["responsible"],
        paths={
            t.id: full_path(
                codes[t.project_id], [names[a] for a in t.ancestor_ids if a in names], t.name
            )
            for t in named
        },
        dates=dates_summary(task, [d.task for d in downstream], now or datetime.now(UTC)),
    )
