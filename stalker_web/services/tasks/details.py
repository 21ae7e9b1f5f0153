"""What the task page shows about one task, loaded in a fixed number of queries."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    Integer,
    String,
    bindparam,
    func,
    inspect,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, joinedload, load_only
from sqlalchemy.orm.attributes import set_committed_value

from ...models import Shot, Task, TaskDependency, User
from ...models.task import (
    task_alternative_resources,
    task_computed_resources,
    task_resources,
    task_responsible,
    task_watchers,
)
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


# The task's lists of people, each with the table linking the task to its users.
PEOPLE_LISTS = {
    "resources": task_resources,
    "alternative_resources": task_alternative_resources,
    "computed_resources": task_computed_resources,
    "watchers": task_watchers,
    "responsible": task_responsible,
}


def _people_statement():
    """Every person on one of the lists of task ``task_id``, named by list, sorted by name (as
    the relationships are), in one query. The page shows each person's name (a link by id): the
    rest of a user row, its password hash included, is left in the database."""
    task_id = bindparam("task_id", type_=Integer)
    listed = union_all(
        *(
            select(literal(name, String).label("list"), table.c.user_id).where(
                table.c.task_id == task_id
            )
            for name, table in PEOPLE_LISTS.items()
        )
    ).subquery()
    return (
        select(listed.c.list, User)
        .join(listed, listed.c.user_id == User.id)
        .options(load_only(User.id, User.name, User.login, User.is_active))
        .order_by(User.name)
    )


# Built once: only the task's id changes from page to page.
_PEOPLE = _people_statement()


def _load_people(dbsession: Session, task: Task) -> None:
    """Load the task's type and audit users and (for a shot) its shot relations in one query,
    and its five lists of people in another. A list already loaded is left as it is: it may
    hold a change not yet written."""
    options = [
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
    unloaded = inspect(task).unloaded
    wanted = [name for name in PEOPLE_LISTS if name in unloaded]
    if not wanted:
        return
    people: dict[str, list[User]] = {name: [] for name in PEOPLE_LISTS}
    for list_name, user in dbsession.execute(_PEOPLE, {"task_id": task.id}):
        people[list_name].append(user)
    for name in wanted:
        set_committed_value(task, name, people[name])


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
    upstream, downstream = _dependencies(dbsession, task)
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
