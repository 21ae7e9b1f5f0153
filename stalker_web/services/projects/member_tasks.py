"""What a project member is named on in that project (resource, watcher... of which tasks, the
reviews they still have to answer), and taking them off those tasks when they leave it."""

from dataclasses import dataclass, field

from sqlalchemy import Table, delete, literal, select, union_all
from sqlalchemy.orm import Session

from ...models import Project, Review, ReviewStatus, Task, User
from ...models.task import (
    task_alternative_resources,
    task_computed_resources,
    task_resources,
    task_responsible,
    task_watchers,
)
from ..errors import ValidationError

NAMES_SHOWN = 3
# How a user can be named on a task: the Task attribute, its table, and the words before
# "3 tasks" in a sentence saying it ("Resource of 3 tasks").
ROLES_ON_TASKS: tuple[tuple[str, Table, str], ...] = (
    ("resources", task_resources, "resource of"),
    ("alternative_resources", task_alternative_resources, "alternative resource of"),
    ("responsible", task_responsible, "responsible for"),
    ("watchers", task_watchers, "watcher of"),
    ("computed_resources", task_computed_resources, "booked by the last schedule on"),
)
REVIEWS = "reviews"


@dataclass
class Involvement:
    """How many tasks a member is named on in one way, with the first names (by name)."""

    label: str
    count: int = 0
    names: list[str] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.count - len(self.names)

    def sentence(self) -> str:
        """ "Resource of 7 tasks: Anim, Comp, Dust and 4 more"."""
        tasks = "task" if self.count == 1 else "tasks"
        return f"{self.label[0].upper()}{self.label[1:]} {self.count} {tasks}: {self.listing()}"

    def listing(self) -> str:
        """ "Anim, Comp, Dust and 4 more"."""
        shown = ", ".join(self.names)
        return f"{shown} and {self.more} more" if self.more else shown


@dataclass
class MemberTasks:
    """Everything of a project that names a member: tasks by role (the roles they hold only),
    how many distinct tasks that is, and the reviews waiting for their answer (or None)."""

    user: User
    involvements: list[Involvement]
    task_count: int
    reviews: Involvement | None


def member_tasks(dbsession: Session, project: Project, user: User) -> MemberTasks:
    """How ``user`` is named on the tasks of ``project``: one query whatever their number."""
    named = [
        select(literal(key).label("role"), Task.id, Task.name)
        .join(table, table.c.task_id == Task.id)
        .where(table.c.user_id == user.id, Task.project_id == project.id)
        for key, table, _label in ROLES_ON_TASKS
    ]
    waiting = (
        select(literal(REVIEWS).label("role"), Task.id, Task.name)
        .join(Review, Review.task_id == Task.id)
        .where(
            Review.reviewer_id == user.id,
            Review.status == ReviewStatus.NEW,
            Task.project_id == project.id,
        )
        .distinct()
    )
    rows = union_all(*named, waiting).subquery()
    found = {key: Involvement(label) for key, _table, label in ROLES_ON_TASKS}
    found[REVIEWS] = Involvement("reviewer with an answer due on")
    task_ids: set[int] = set()
    for role, task_id, name in dbsession.execute(
        select(rows.c.role, rows.c.id, rows.c.name).order_by(rows.c.role, rows.c.name, rows.c.id)
    ):
        involvement = found[role]
        involvement.count += 1
        if len(involvement.names) < NAMES_SHOWN:
            involvement.names.append(name)
        if role != REVIEWS:
            task_ids.add(task_id)
    reviews = found.pop(REVIEWS)
    return MemberTasks(
        user=user,
        involvements=[involvement for involvement in found.values() if involvement.count],
        task_count=len(task_ids),
        reviews=reviews if reviews.count else None,
    )


def refusal(summary: MemberTasks, project: Project) -> str | None:
    """Why ``summary.user`` cannot leave ``project`` yet, or None: a review waiting for their
    answer would block its task (nobody else is asked), so it is answered first."""
    reviews = summary.reviews
    if reviews is None:
        return None
    name = summary.user.name
    noun = "review" if reviews.count == 1 else "reviews"
    pronoun = "it" if reviews.count == 1 else "them"
    return (
        f"{name} still has {reviews.count} {noun} to answer in {project.name} "
        f"({reviews.listing()}). Ask {name} to answer {pronoun}, or answer {pronoun} in their "
        f"place as a manager of the project, then remove {name}."
    )


def take_off_tasks(dbsession: Session, project: Project, user: User) -> None:
    """Take ``user`` off every task of ``project`` in every role (their time logs, versions and
    answered reviews stay); tasks already loaded see the change."""
    dbsession.flush()
    in_project = select(Task.id).where(Task.project_id == project.id)
    for _key, table, _label in ROLES_ON_TASKS:
        dbsession.execute(
            delete(table).where(table.c.user_id == user.id, table.c.task_id.in_(in_project))
        )
    attributes = [key for key, _table, _label in ROLES_ON_TASKS]
    for loaded in list(dbsession.identity_map.values()):
        if isinstance(loaded, Task) and loaded.project_id == project.id:
            dbsession.expire(loaded, attributes)


def check_may_leave(dbsession: Session, project: Project, user: User) -> MemberTasks:
    """What names ``user`` in ``project``, refusing (ValidationError) while they have reviews
    to answer there."""
    summary = member_tasks(dbsession, project, user)
    reason = refusal(summary, project)
    if reason is not None:
        raise ValidationError(reason)
    return summary
