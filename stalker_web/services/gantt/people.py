"""Who is busy when: a user's tasks across projects, and a department's members one row each,
in a window, with their vacations (and the studio-wide holidays) shaded; fixed query counts.

A task of a project the viewer cannot read is drawn as an anonymous "Busy (another project)"
bar: its dates only, no name, project, status colour or link."""

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, func, select, union
from sqlalchemy.orm import Session, contains_eager, joinedload

from ...models import Department, DepartmentUser, Role, Task, User
from ...models.task import task_computed_resources, task_resources
from ...pagination import Page, paginate
from ..accounts.readable_projects import ReadableProjects
from ..scheduling.why import why_here
from ..tasks.paths import task_paths
from .export import ImageRow, task_image_rows
from .marks import (
    Mark,
    dates_title,
    explain_marks,
    lane_marks,
    span_mark,
    task_dates,
    task_marks,
    vacation_marks,
)
from .project_chart import PER_PAGE, TaskRow, sort_start, task_rows_statement
from .vacations import vacations_by_user
from .window import Window

BUSY = "Busy (another project)"
BUSY_COLOR = "#9aa5b1"


@dataclass
class PersonRow:
    """A department member as a chart row: their tasks in stacked lanes and their vacations."""

    user: User
    role: Role | None
    marks: list[Mark] = field(default_factory=list)
    task_count: int = 0


@dataclass
class BusyRow:
    """A row of a user's chart for a task the viewer may not read: when, and nothing else."""

    marks: list[Mark]
    label: str = BUSY
    task: None = None


def _busy_marks(task: Task, window: Window) -> list[Mark]:
    """The task's span as an anonymous bar (nothing when it has no dates)."""
    dates = task_dates(task)
    if dates is None:
        return []
    bar = span_mark(
        "bar",
        window,
        dates.start,
        dates.end,
        planned=dates.planned,
        color=BUSY_COLOR,
        title=dates_title(BUSY, dates),
    )
    return [] if bar is None else [bar]


def _anonymise(marks: list[Mark], hidden: dict[int, Task]) -> list[Mark]:
    """``marks`` with those of ``hidden`` tasks made anonymous busy shapes, in place."""
    for mark in marks:
        task = hidden.get(mark.task_id) if mark.task_id is not None else None
        if task is not None:
            dates = task_dates(task)
            mark.title = dates_title(BUSY, dates) if dates is not None else BUSY
            mark.color, mark.task_id = BUSY_COLOR, None
    return marks


def _explained(marks: list[Mark], reasons: dict[int, str]) -> list[Mark]:
    explain_marks(marks, reasons)
    return marks


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


def user_page(
    dbsession: Session,
    user: User,
    window: Window,
    vacations: list,
    number: int = 1,
    per_page: int = PER_PAGE,
    *,
    readable: ReadableProjects,
) -> Page:
    """A page of the tasks ``user`` works on in the window (across projects), earliest first,
    each named by its full path, with ``vacations`` (theirs and the studio's, see
    ``gantt_vacations``) shaded behind its bar; tasks of projects not ``readable`` by the
    viewer are BusyRows."""
    pairs = _assignments([user.id]).subquery()
    statement = (
        task_rows_statement()
        .where(Task.id.in_(select(pairs.c.task_id)), in_window(window))
        .options(joinedload(Task.project))
    )
    page = paginate(dbsession, statement, number, per_page, params=window.query())
    shown = [task for task in page.items if task.project_id in readable]
    paths = task_paths(dbsession, shown)
    page.items = [
        TaskRow(
            task=task,
            marks=[*vacation_marks(window, vacations), *task_marks(task, window)],
            path=paths[task.id],
        )
        if task.project_id in readable
        else BusyRow([*vacation_marks(window, vacations), *_busy_marks(task, window)])
        for task in page.items
    ]
    reasons = first_reasons(dbsession, [task.id for task in shown], readable)
    for row in page.items:
        explain_marks(row.marks, reasons)
    return page


def first_reasons(
    dbsession: Session, task_ids: list[int], readable: ReadableProjects
) -> dict[int, str]:
    """What holds each scheduled task's start, in words (the first cause), by task id."""
    return {
        task_id: why.first_text for task_id, why in why_here(dbsession, task_ids, readable).items()
    }


def user_image_rows(rows: list[TaskRow | BusyRow]) -> list[ImageRow]:
    """A user's chart rows as rows of the downloadable image (busy rows without a note)."""
    return [
        ImageRow(label=row.label, note="", depth=0, marks=row.marks, arrows=[])
        if row.task is None
        else task_image_rows([row], paths=True)[0]
        for row in rows
    ]


def department_page(
    dbsession: Session,
    department: Department,
    window: Window,
    number: int = 1,
    per_page: int = PER_PAGE,
    *,
    readable: ReadableProjects,
) -> tuple[Page, dict[int, list]]:
    """A page of the department's members, each row holding their tasks in the window as
    stacked bars over their vacations (studio-wide ones included; tasks of projects not
    ``readable`` by the viewer as anonymous busy bars); also returns the vacations by user id."""
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
    hidden = {
        task.id: task
        for tasks in tasks_by_user.values()
        for task in tasks
        if task.project_id not in readable
    }
    shown = {task.id for tasks in tasks_by_user.values() for task in tasks} - set(hidden)
    reasons = first_reasons(dbsession, sorted(shown), readable)
    page.items = [
        PersonRow(
            user=membership.user,
            role=membership.role,
            marks=[
                *vacation_marks(window, vacations.get(membership.user_id, [])),
                *_explained(
                    _anonymise(lane_marks(window, tasks_by_user[membership.user_id]), hidden),
                    reasons,
                ),
            ],
            task_count=len(tasks_by_user[membership.user_id]),
        )
        for membership in page.items
    ]
    return page, vacations
