"""Who is busy when: a user's tasks across projects, and a department's members one row each,
in a window, with their vacations (and the studio-wide holidays) shaded; fixed query counts."""

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, func, select, union
from sqlalchemy.orm import Session, contains_eager, joinedload

from ..models import Department, DepartmentUser, Role, Task, User
from ..models.task import task_computed_resources, task_resources
from ..pagination import Page, paginate
from .gantt import PER_PAGE, TaskRow, sort_start, task_rows_statement
from .gantt_marks import Mark, lane_marks, task_marks, vacation_marks
from .gantt_vacations import vacations_by_user
from .gantt_window import Window


@dataclass
class PersonRow:
    """A department member as a chart row: their tasks in stacked lanes and their vacations."""

    user: User
    role: Role | None
    marks: list[Mark] = field(default_factory=list)
    task_count: int = 0


def in_window(window: Window) -> ColumnElement[bool]:
    """Tasks whose dates (computed, else planned) meet the window."""
    start = func.coalesce(Task.computed_start, Task.start, Task.computed_end, Task.end)
    end = func.coalesce(Task.computed_end, Task.end, Task.computed_start, Task.start)
    return (start < window.end) & (end >= window.start)


def _assignments(user_ids) -> Select:
    """(user id, task id) pairs of tasks users are resources or computed resources of."""
    return union(
        select(task_resources.c.user_id, task_resources.c.task_id).where(
            task_resources.c.user_id.in_(user_ids)
        ),
        select(task_computed_resources.c.user_id, task_computed_resources.c.task_id).where(
            task_computed_resources.c.user_id.in_(user_ids)
        ),
    )


def _path_names(dbsession: Session, tasks: list[Task]) -> dict[int, str]:
    ids = {ancestor for task in tasks for ancestor in task.ancestor_ids}
    if not ids:
        return {}
    return dict(dbsession.execute(select(Task.id, Task.name).where(Task.id.in_(ids))).all())


def user_page(
    dbsession: Session,
    user: User,
    window: Window,
    vacations: list,
    number: int = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """A page of the tasks ``user`` works on in the window (across projects), earliest first,
    each with the names of its parents and ``vacations`` (theirs and the studio's, see
    ``gantt_vacations``) shaded behind its bar."""
    pairs = _assignments([user.id]).subquery()
    statement = (
        task_rows_statement()
        .where(Task.id.in_(select(pairs.c.task_id)), in_window(window))
        .options(joinedload(Task.project))
    )
    page = paginate(dbsession, statement, number, per_page, params=window.query())
    names = _path_names(dbsession, page.items)
    shading = vacation_marks(window, vacations)
    page.items = [
        TaskRow(
            task=task,
            marks=[*shading, *task_marks(task, window)],
            path_names=[names[a] for a in task.ancestor_ids if a in names],
        )
        for task in page.items
    ]
    return page


def department_page(
    dbsession: Session,
    department: Department,
    window: Window,
    number: int = 1,
    per_page: int = PER_PAGE,
) -> tuple[Page, dict[int, list]]:
    """A page of the department's members, each row holding their tasks in the window as
    stacked bars over their vacations (studio-wide ones included); also returns the vacations
    by user id."""
    statement = (
        select(DepartmentUser)
        .join(DepartmentUser.user)
        .where(DepartmentUser.department_id == department.id)
        .options(contains_eager(DepartmentUser.user), joinedload(DepartmentUser.role))
        .order_by(User.name, User.id)
    )
    page = paginate(dbsession, statement, number, per_page, params=window.query())
    user_ids = [membership.user_id for membership in page.items]
    tasks_by_user: dict[int, list[Task]] = {user_id: [] for user_id in user_ids}
    if user_ids:
        pairs = _assignments(user_ids).subquery()
        rows = dbsession.execute(
            select(pairs.c.user_id, Task)
            .join(Task, Task.id == pairs.c.task_id)
            .where(in_window(window))
            .options(joinedload(Task.status))
            .order_by(sort_start(), Task.id)
        ).all()
        for user_id, task in rows:
            tasks_by_user[user_id].append(task)
    vacations = vacations_by_user(dbsession, user_ids, window)
    page.items = [
        PersonRow(
            user=membership.user,
            role=membership.role,
            marks=[
                *vacation_marks(window, vacations.get(membership.user_id, [])),
                *lane_marks(window, tasks_by_user[membership.user_id]),
            ],
            task_count=len(tasks_by_user[membership.user_id]),
        )
        for membership in page.items
    ]
    return page, vacations
