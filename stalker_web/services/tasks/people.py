"""The people named on one task, read in one statement: its lists of people, its responsible
users (own, or inherited from the nearest ancestor that has some) and who created and last
changed it. The task's ACL and its page share the one read."""

from dataclasses import dataclass, field

from sqlalchemy import Integer, String, bindparam, literal, select, union_all
from sqlalchemy.orm import Session, load_only

from ...models import Task, User
from ...models.task import (
    task_alternative_resources,
    task_computed_resources,
    task_resources,
    task_responsible,
    task_watchers,
)

# The task's lists of people, each with the table linking the task to its users.
PEOPLE_LISTS = {
    "resources": task_resources,
    "alternative_resources": task_alternative_resources,
    "computed_resources": task_computed_resources,
    "watchers": task_watchers,
    "responsible": task_responsible,
}
AUDIT_USERS = ("created_by", "updated_by")


@dataclass
class TaskPeople:
    """Everybody named on a task, by list (``PEOPLE_LISTS``), each list sorted by name."""

    lists: dict[str, list[User]] = field(default_factory=dict)
    responsible: list[User] = field(default_factory=list)  # own or inherited
    created_by: User | None = None
    updated_by: User | None = None


def _people_statement():
    """Every person on one of the lists of task ``task_id``, the responsible users of its
    ``lineage`` (itself and its ancestors) and its audit users, each row named by its list and
    the task it comes from, sorted by name (as the relationships are). The page shows each
    person's name (a link by id): the rest of a user row, its password hash included, is left in
    the database."""
    task_id = bindparam("task_id", type_=Integer)
    lineage = bindparam("lineage", type_=Integer, expanding=True)
    lists = [
        select(literal(name, String).label("list"), table.c.task_id, table.c.user_id).where(
            table.c.task_id.in_(lineage)
            if table is task_responsible
            else table.c.task_id == task_id
        )
        for name, table in PEOPLE_LISTS.items()
    ]
    audit = [
        select(literal(name, String), Task.id, getattr(Task, f"{name}_id")).where(
            Task.id == task_id
        )
        for name in AUDIT_USERS
    ]
    named = union_all(*lists, *audit).subquery()
    return (
        select(named.c.list, named.c.task_id, User)
        .join(named, named.c.user_id == User.id)
        .options(load_only(User.id, User.name, User.login, User.is_active))
        .order_by(User.name, User.id)
    )


# Built once: only the task and its lineage change from page to page.
_PEOPLE = _people_statement()


def task_people(dbsession: Session, task: Task) -> TaskPeople:
    """The people named on ``task`` (see ``TaskPeople``), in one statement."""
    lineage = [task.id, *reversed(task.ancestor_ids)]
    people = TaskPeople(lists={name: [] for name in PEOPLE_LISTS})
    responsible: dict[int, list[User]] = {}
    for list_name, task_id, user in dbsession.execute(
        _PEOPLE, {"task_id": task.id, "lineage": lineage}
    ):
        if list_name in AUDIT_USERS:
            setattr(people, list_name, user)
        elif list_name == "responsible":
            responsible.setdefault(task_id, []).append(user)
        else:
            people.lists[list_name].append(user)
    people.lists["responsible"] = responsible.get(task.id, [])
    people.responsible = next((responsible[node] for node in lineage if node in responsible), [])
    return people
