"""What the task forms offer to choose from, and the chosen ids turned back into rows.

Searches (new parents, upstream tasks) return at most ``SEARCH_LIMIT`` tasks in one query.
Turning a submitted id into a row refuses, under the form's field, an id that is gone or not
among the choices the page offered.
"""

from collections.abc import Collection, Iterable

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from ...models import ImageFormat, Project, ProjectUser, Task, TaskDependency, Type, User
from ...models.task_path import subtree_pattern
from ..accounts.user_search import MAX_PEOPLE
from ..errors import ValidationError
from .commands import TASK_CLASSES

SEARCH_LIMIT = 20


def _matching(statement: Select, search: str | None) -> Select:
    """Narrow to tasks whose name or code contains ``search``, ignoring case."""
    text = (search or "").strip().lower()
    if not text:
        return statement
    return statement.where(
        or_(
            func.lower(Task.name).contains(text, autoescape=True),
            func.lower(Task.code).contains(text, autoescape=True),
        )
    )


def parent_candidates(
    dbsession: Session, task: Task, search: str | None, limit: int = SEARCH_LIMIT
) -> list[Task]:
    """Tasks of ``task``'s project it could move under: not itself, nothing inside it and not
    its current parent; shallow ones first, then by name."""
    statement = select(Task).where(
        Task.project_id == task.project_id, Task.path.not_like(subtree_pattern(task.path))
    )
    if task.parent_id is not None:
        statement = statement.where(Task.id != task.parent_id)
    statement = _matching(statement, search).order_by(Task.depth, Task.name, Task.id)
    return list(dbsession.scalars(statement.limit(limit)))


def dependency_candidates(
    dbsession: Session,
    task: Task,
    search: str | None,
    project_ids: Collection[int] | None,
    limit: int = SEARCH_LIMIT,
) -> list[Task]:
    """Tasks ``task`` could wait for, in the projects ``project_ids`` (None: any project).

    Left out: the task, the tasks containing it or inside it, and the tasks it already waits
    for. Loops need the whole graph and are refused when the dependency is added. The task's own
    project comes first, then shallow tasks, then by name; each with its project and status.
    """
    waited = select(TaskDependency.depends_on_id).where(TaskDependency.task_id == task.id)
    statement = select(Task).where(
        Task.path.not_like(subtree_pattern(task.path)), Task.id.not_in(waited)
    )
    if task.ancestor_ids:
        statement = statement.where(Task.id.not_in(task.ancestor_ids))
    if project_ids is not None:
        statement = statement.where(Task.project_id.in_(list(project_ids) or [-1]))
    other_project_last = case((Task.project_id == task.project_id, 0), else_=1)
    statement = (
        _matching(statement, search)
        .options(joinedload(Task.project), joinedload(Task.status))
        .order_by(other_project_last, Task.depth, Task.name, Task.id)
    )
    return list(dbsession.scalars(statement.limit(limit)))


def upstream_dependencies(dbsession: Session, task: Task) -> list[TaskDependency]:
    """What ``task`` waits for, with those tasks, their projects and statuses, by name."""
    upstream = contains_eager(TaskDependency.depends_on)
    return list(
        dbsession.scalars(
            select(TaskDependency)
            .join(TaskDependency.depends_on)
            .where(TaskDependency.task_id == task.id)
            .options(upstream.joinedload(Task.project), upstream.joinedload(Task.status))
            .order_by(Task.name, Task.id)
        )
    )


def types_for(dbsession: Session, kinds: Iterable[str]) -> dict[str, list[Type]]:
    """The Types meant for each kind of task (``target_entity_type``), by position then name."""
    kinds = list(kinds)
    found: dict[str, list[Type]] = {kind: [] for kind in kinds}
    rows = dbsession.scalars(
        select(Type)
        .where(Type.target_entity_type.in_(kinds))
        .order_by(Type.position, Type.name, Type.id)
    )
    for row in rows:
        found[row.target_entity_type].append(row)
    return found


def project_tasks_of_kind(dbsession: Session, project: Project, kind: str) -> list[Task]:
    """The project's tasks of one kind ("Sequence", "Scene"), by code then name."""
    return list(
        dbsession.scalars(
            select(TASK_CLASSES[kind])
            .where(Task.project_id == project.id)
            .order_by(Task.code, Task.name, Task.id)
        )
    )


def project_members(dbsession: Session, project: Project) -> list[User]:
    """The users who are members of ``project``, by name: the people who work on its tasks."""
    return list(
        dbsession.scalars(
            select(User)
            .join(ProjectUser, ProjectUser.user_id == User.id)
            .where(ProjectUser.project_id == project.id)
            .order_by(User.name, User.id)
        )
    )


def chosen_type(dbsession: Session, type_id: int | None) -> Type | None:
    """The Type chosen on a form (None for no type)."""
    if type_id is None:
        return None
    chosen = dbsession.get(Type, type_id)
    if chosen is None:
        raise ValidationError("That type no longer exists; choose another.", "type")
    return chosen


def chosen_image_format(dbsession: Session, image_format_id: int | None) -> ImageFormat | None:
    """The image format chosen on a form (None: the project's)."""
    if image_format_id is None:
        return None
    chosen = dbsession.get(ImageFormat, image_format_id)
    if chosen is None:
        raise ValidationError("That image format no longer exists; choose another.", "image_format")
    return chosen


def chosen_task(
    dbsession: Session, task_id: int | None, field: str, *, required: bool
) -> Task | None:
    """The task whose id a form submitted under ``field`` (None when optional and not chosen)."""
    if task_id is None:
        if required:
            raise ValidationError("Choose a task from the list.", field)
        return None
    chosen = dbsession.get(Task, task_id)
    if chosen is None:
        raise ValidationError("That task no longer exists; choose another.", field)
    return chosen


def chosen_parent(dbsession: Session, project: Project, parent_id: int | None) -> Task | None:
    """The parent chosen for a new task of ``project`` (None: a root task)."""
    parent = chosen_task(dbsession, parent_id, "parent", required=False)
    if parent is not None and parent.project_id != project.id:
        raise ValidationError(
            f"{parent.name} is in another project: a task's parent is in its own project.",
            "parent",
        )
    return parent


def chosen_people(
    dbsession: Session,
    project: Project,
    user_ids: Iterable[int],
    field: str,
    *,
    already: Iterable[User] = (),
) -> list[User]:
    """The users chosen for ``field`` (resources, watchers, ...) of a task of ``project``: at
    most ``MAX_PEOPLE``, only its active members, or people who already held that place."""
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        return []
    if len(wanted) > MAX_PEOPLE:
        raise ValidationError(f"Choose at most {MAX_PEOPLE} people here.", field)
    users = {user.id: user for user in dbsession.scalars(select(User).where(User.id.in_(wanted)))}
    if len(users) != len(wanted):
        raise ValidationError("One of the chosen people no longer exists; choose again.", field)
    held = {user.id for user in already}
    inactive = [
        users[user_id].name
        for user_id in wanted
        if not users[user_id].is_active and user_id not in held
    ]
    if inactive:
        raise ValidationError(
            f"{', '.join(inactive)} can no longer log in (deactivated): choose someone else.",
            field,
        )
    members = set(
        dbsession.scalars(
            select(ProjectUser.user_id).where(
                ProjectUser.project_id == project.id, ProjectUser.user_id.in_(wanted)
            )
        )
    )
    allowed = members | held
    outsiders = [users[user_id].name for user_id in wanted if user_id not in allowed]
    if outsiders:
        raise ValidationError(
            f"{', '.join(outsiders)} {'is' if len(outsiders) == 1 else 'are'} not on the team "
            f"of {project.name}: add them to the project first.",
            field,
        )
    return [users[user_id] for user_id in wanted]
