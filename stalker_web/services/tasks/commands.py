"""The task tree: creating, moving and deleting tasks, their first statuses and subtree queries."""

from collections.abc import Iterable

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from ...models import (
    Asset,
    Project,
    Scene,
    Sequence,
    Shot,
    Status,
    Task,
    TaskDependency,
    User,
    Variant,
)
from ...models.task import task_alternative_resources, task_resources, task_responsible
from ...models.task_path import subtree_pattern
from ..errors import ValidationError, check_version, model_rules
from ..workflow import rules
from ..workflow.actions import dependencies_changed, parent_lost_child, task_added
from ..workflow.statuses import task_status
from .graph import Move, tasks_waiting_for, walk

TASK_CLASSES = {cls.__name__: cls for cls in (Task, Asset, Sequence, Scene, Shot, Variant)}


def status_code_for(dependency_codes: Iterable[str]) -> str:
    """A new task waits (WFD) while a dependency is not finished, else it is ready (RTS); every
    later change of status goes through ``services/workflow/actions.py``."""
    finished = all(code in rules.FINISHED for code in dependency_codes)
    return rules.RTS if finished else rules.WFD


def check_no_resources(dbsession: Session, task: Task) -> None:
    """Refuse making ``task`` a container while it has resources: containers have none."""
    held = select(task_resources.c.task_id).where(task_resources.c.task_id == task.id)
    alternative = select(task_alternative_resources.c.task_id).where(
        task_alternative_resources.c.task_id == task.id
    )
    if dbsession.scalar(select(or_(exists(held), exists(alternative)))):
        raise ValidationError(
            f"{task.name} has resources: remove them before giving it child tasks "
            "(a task with children only groups the work of its children).",
            "parent",
        )


def check_shot_code(dbsession: Session, project: Project, code: str, exclude_id=None) -> None:
    """Refuse a shot code already used in ``project`` (compared without case)."""
    same = select(Task.id).where(
        Task.project_id == project.id,
        Task.entity_type == "Shot",
        func.lower(Task.code) == (code or "").strip().lower(),
    )
    if exclude_id is not None:
        same = same.where(Task.id != exclude_id)
    if dbsession.scalar(select(exists(same))):
        raise ValidationError(
            f"Shot code {code.strip()} is already used in project {project.name}.", "code"
        )


def create_task(
    dbsession: Session,
    kind: str = "Task",
    *,
    project: Project | None = None,
    parent: Task | None = None,
    status: Status | None = None,
    **values,
) -> Task:
    """Create a Task, Asset, Sequence, Scene, Shot or Variant (``kind``) in the tree.

    The project is the parent's; a new task has no dependency yet, so it is Ready To Start
    (callers creating many tasks may pass the ``status`` they looked up once).
    """
    if kind not in TASK_CLASSES:
        raise ValidationError(f"Unknown kind of task: {kind}.", "kind")
    if parent is not None:
        check_no_resources(dbsession, parent)
    if kind == "Shot" and (project or parent) is not None:
        check_shot_code(dbsession, project or parent.project, values.get("code") or "")
    status = status if status is not None else task_status(dbsession, rules.RTS)
    with model_rules():
        task = TASK_CLASSES[kind](project=project, parent=parent, status=status, **values)
    dbsession.add(task)
    dbsession.flush()
    if parent is not None:
        task_added(dbsession, task)
    return task


def check_move(dbsession: Session, task: Task, new_parent: Task | None) -> None:
    """Refuse moving ``task`` under ``new_parent`` when the tree or the dependencies forbid it."""
    if new_parent is None:
        return
    if new_parent.project_id != task.project_id:
        raise ValidationError(f"{new_parent.name} is in another project.", "parent")
    if new_parent.id == task.id or new_parent.path.startswith(task.path):
        raise ValidationError(
            f"{new_parent.name} is inside {task.name}, so it cannot be its parent.", "parent"
        )
    check_no_resources(dbsession, new_parent)
    new_ancestors = {new_parent.id, *new_parent.ancestor_ids}
    waited = dbsession.scalar(
        select(Task.name)
        .join(TaskDependency, TaskDependency.depends_on_id == Task.id)
        .where(TaskDependency.task_id == task.id, Task.id.in_(new_ancestors))
    )
    if waited is not None:
        raise ValidationError(
            f"A dependency cannot become the parent: {task.name} waits for {waited}.", "parent"
        )
    move = Move(task.path, f"{new_parent.path}{task.id}/")
    closes_loop = (
        task.id in walk(dbsession, starts=[new_parent], move=move, stop_at=task.id).started
    )
    if not closes_loop:
        ended = walk(dbsession, ends=[task], move=move).ended
        closes_loop = any(task_id in new_ancestors for task_id in ended)
    if closes_loop:
        raise ValidationError(
            f"{task.name} cannot go under {new_parent.name}: with their dependencies the tasks "
            "would wait for each other in a loop.",
            "parent",
        )


def move_task(
    dbsession: Session, task: Task, new_parent: Task | None, *, submitted_version: int | None
) -> Task:
    """Re-parent ``task`` (None: make it a root task); its whole subtree follows in one UPDATE."""
    check_version(task, submitted_version, "This task")
    if task.parent_id == (new_parent.id if new_parent is not None else None):
        return task
    check_move(dbsession, task, new_parent)
    old_parent_id = task.parent_id
    with model_rules():
        task.parent = new_parent
    dbsession.flush()
    task_added(dbsession, task)
    parent_lost_child(dbsession, old_parent_id)
    return task


def delete_task(dbsession: Session, task: Task, *, submitted_version: int | None) -> None:
    """Delete ``task`` and everything inside it; tasks that waited for them are re-evaluated
    and its parent is re-derived (a parent left without children starts over as a leaf)."""
    check_version(task, submitted_version, "This task")
    inside = select(Task.id).where(Task.path.like(subtree_pattern(task.path)))
    dependents = list(dbsession.scalars(tasks_waiting_for(inside).where(Task.id.not_in(inside))))
    parent_id = task.parent_id
    dbsession.delete(task)
    dbsession.flush()
    dbsession.expire_all()
    dependencies_changed(dbsession, dependents)
    parent_lost_child(dbsession, parent_id)
    dbsession.flush()


def subtree(task: Task, *, include_self: bool = True) -> Select:
    """A SELECT of the tasks inside ``task`` (one indexed prefix match on ``path``)."""
    statement = select(Task).where(Task.path.like(subtree_pattern(task.path)))
    return statement if include_self else statement.where(Task.id != task.id)


def ancestors(dbsession: Session, task: Task) -> list[Task]:
    """The task's parents, root first (Stalker's ``parents``), in one query."""
    if not task.ancestor_ids:
        return []
    return list(
        dbsession.scalars(select(Task).where(Task.id.in_(task.ancestor_ids)).order_by(Task.depth))
    )


def responsible_users(dbsession: Session, tasks: Iterable[Task]) -> dict[int, list[User]]:
    """Each task's responsible users, inherited from the nearest ancestor that has some when the
    task has none (Stalker's getter, without writing anything); one query for any number."""
    tasks = list(tasks)
    lineage = {task.id: [task.id, *reversed(task.ancestor_ids)] for task in tasks}
    ids = {task_id for chain in lineage.values() for task_id in chain}
    held: dict[int, list[User]] = {}
    if ids:
        rows = dbsession.execute(
            select(task_responsible.c.task_id, User)
            .join(User, User.id == task_responsible.c.user_id)
            .where(task_responsible.c.task_id.in_(ids))
            .order_by(User.name, User.id)
        )
        for task_id, user in rows:
            held.setdefault(task_id, []).append(user)
    return {
        task_id: next((held[node] for node in chain if node in held), [])
        for task_id, chain in lineage.items()
    }
