"""Reading what a run schedules: the studio, the projects in scope and everything their tasks
need, in a fixed number of portable queries (no per-task query, no database-specific SQL)."""

import math
from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from ...config import WEEKDAYS
from ...models import Project, Studio, Task, TaskDependency, TimeLog, User, Vacation
from ...models.schedule import (
    AllocationStrategy,
    DependencyTarget,
    ScheduleConstraint,
    ScheduleModel,
    TimeUnit,
)
from ...models.studio import WEEKS_PER_YEAR
from ...models.task import task_alternative_resources, task_computed_resources, task_resources
from ...time_zones import DEFAULT_ZONE
from ..tasks.progress import studio_calendar

_tasks = Task.__table__
_dependencies = TaskDependency.__table__
_time_logs = TimeLog.__table__
_users = User.__table__
_vacations = Vacation.__table__
_projects = Project.__table__


@dataclass(frozen=True)
class Calendar:
    """The studio calendar: working hours per weekday (minutes, local hours of ``time_zone``),
    hours in a working day and the timing resolution; it converts timings like the models do
    (``to_seconds``)."""

    working_hours: dict[str, list[list[int]]]
    daily_working_hours: int
    resolution_minutes: int
    time_zone: str = DEFAULT_ZONE

    @property
    def weekly_working_days(self) -> int:
        return sum(1 for day in WEEKDAYS if self.working_hours.get(day))

    @property
    def yearly_working_days(self) -> int:
        return math.ceil(self.weekly_working_days * WEEKS_PER_YEAR)


@dataclass(frozen=True)
class ProjectRow:
    id: int
    name: str


@dataclass(frozen=True)
class TaskRow:
    """The columns of a task the schedule needs."""

    id: int
    name: str
    project_id: int
    parent_id: int | None
    path: str
    priority: int
    schedule_timing: float
    schedule_unit: TimeUnit
    schedule_model: ScheduleModel
    schedule_constraint: ScheduleConstraint
    start: datetime | None
    end: datetime | None
    allocation_strategy: AllocationStrategy
    persistent_allocation: bool
    is_milestone: bool

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1]]


@dataclass(frozen=True)
class DependencyRow:
    """``task_id`` waits for ``depends_on_id``; the awaited task's project, name and computed
    dates come along for dependencies on tasks outside the run."""

    task_id: int
    depends_on_id: int
    target: DependencyTarget
    gap_timing: float
    gap_unit: TimeUnit
    gap_model: ScheduleModel
    depends_on_project_id: int
    depends_on_name: str
    depends_on_computed_start: datetime | None
    depends_on_computed_end: datetime | None


@dataclass(frozen=True)
class TimeLogRow:
    id: int
    task_id: int
    resource_id: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class UserRow:
    """A person the run may plan: a user, or in a what-if scenario also a temporary person
    (negative id, see ``resource_ids``). Work is planned only inside the contract window
    ``available_from`` to ``available_until`` (None: open-ended)."""

    id: int
    name: str
    efficiency: float
    is_active: bool
    available_from: datetime | None = None
    available_until: datetime | None = None


@dataclass(frozen=True)
class VacationRow:
    id: int
    user_id: int | None
    start: datetime
    end: datetime


@dataclass(frozen=True)
class BusyRow:
    """A user computed to work on a task outside the run, from ``start`` to ``end``."""

    user_id: int
    task_id: int
    start: datetime
    end: datetime


@dataclass
class StudioSnapshot:
    """Everything one run schedules, read at one moment."""

    studio_id: int
    calendar: Calendar
    project_ids: list[int] | None
    projects: list[ProjectRow]
    tasks: list[TaskRow]
    dependencies: list[DependencyRow]
    resources: dict[int, list[int]]
    alternatives: dict[int, list[int]]
    time_logs: list[TimeLogRow]
    users: dict[int, UserRow]
    vacations: list[VacationRow]
    busy: list[BusyRow] = field(default_factory=list)

    @property
    def whole_studio(self) -> bool:
        return self.project_ids is None


def _in_scope(column, project_ids: list[int] | None):
    return true() if project_ids is None else column.in_(project_ids)


def _users_by_task(dbsession: Session, table, project_ids: list[int] | None) -> dict[int, list]:
    rows = dbsession.execute(
        select(table.c.task_id, table.c.user_id)
        .join(_tasks, _tasks.c.id == table.c.task_id)
        .where(_in_scope(_tasks.c.project_id, project_ids))
        .order_by(table.c.task_id, table.c.user_id)
    )
    users: dict[int, list[int]] = {}
    for task_id, user_id in rows:
        users.setdefault(task_id, []).append(user_id)
    return users


def calendar_of(studio) -> Calendar:
    """The working-time helpers' calendar of ``studio`` (a Studio row, or the plain
    ``tasks.progress.StudioCalendar``)."""
    return Calendar(
        working_hours=dict(studio.working_hours),
        daily_working_hours=studio.daily_working_hours,
        resolution_minutes=studio.timing_resolution_minutes,
        time_zone=studio.time_zone,
    )


def working_calendar(dbsession: Session) -> Calendar:
    """The studio's calendar as the working-time helpers read it (one query)."""
    return calendar_of(studio_calendar(dbsession))


def _read_projects(dbsession: Session, project_ids: list[int] | None) -> list[ProjectRow]:
    rows = dbsession.execute(
        select(_projects.c.id, _projects.c.name)
        .where(_in_scope(_projects.c.id, project_ids))
        .order_by(_projects.c.id)
    )
    return [ProjectRow(*row) for row in rows]


def _read_tasks(dbsession: Session, project_ids: list[int] | None) -> list[TaskRow]:
    """The tasks in scope by project, parents before children and siblings by id (the ids along
    their paths compared as numbers: as text, "/1000/" would come before "/997/")."""
    columns = [_tasks.c[column.name] for column in fields(TaskRow)]
    rows = dbsession.execute(select(*columns).where(_in_scope(_tasks.c.project_id, project_ids)))
    return sorted((TaskRow(*row) for row in rows), key=_tree_order)


def _tree_order(task: TaskRow) -> tuple[int, list[int]]:
    return task.project_id, [*task.ancestor_ids, task.id]


def _read_dependencies(dbsession: Session, project_ids: list[int] | None) -> list[DependencyRow]:
    """What the tasks in scope wait for, with the awaited task's project, name and dates."""
    dependent = _tasks.alias("dependent")
    target = _tasks.alias("target")
    rows = dbsession.execute(
        select(
            _dependencies.c.task_id,
            _dependencies.c.depends_on_id,
            _dependencies.c.dependency_target,
            _dependencies.c.gap_timing,
            _dependencies.c.gap_unit,
            _dependencies.c.gap_model,
            target.c.project_id,
            target.c.name,
            target.c.computed_start,
            target.c.computed_end,
        )
        .join(dependent, dependent.c.id == _dependencies.c.task_id)
        .join(target, target.c.id == _dependencies.c.depends_on_id)
        .where(_in_scope(dependent.c.project_id, project_ids))
        .order_by(_dependencies.c.task_id, _dependencies.c.depends_on_id)
    )
    return [DependencyRow(*row) for row in rows]


def _read_time_logs(dbsession: Session, project_ids: list[int] | None) -> list[TimeLogRow]:
    rows = dbsession.execute(
        select(
            _time_logs.c.id,
            _time_logs.c.task_id,
            _time_logs.c.resource_id,
            _time_logs.c.start,
            _time_logs.c.end,
        )
        .join(_tasks, _tasks.c.id == _time_logs.c.task_id)
        .where(_in_scope(_tasks.c.project_id, project_ids))
        .order_by(_time_logs.c.resource_id, _time_logs.c.start, _time_logs.c.id)
    )
    return [TimeLogRow(*row) for row in rows]


def _read_users(dbsession: Session) -> dict[int, UserRow]:
    columns = [_users.c[column.name] for column in fields(UserRow)]
    rows = dbsession.execute(select(*columns).order_by(_users.c.id))
    return {row.id: UserRow(*row) for row in rows}


def _read_vacations(dbsession: Session) -> list[VacationRow]:
    rows = dbsession.execute(
        select(
            _vacations.c.id, _vacations.c.user_id, _vacations.c.start, _vacations.c.end
        ).order_by(_vacations.c.start, _vacations.c.id)
    )
    return [VacationRow(*row) for row in rows]


def _read_busy_elsewhere(
    dbsession: Session, project_ids: list[int], now: datetime
) -> list[BusyRow]:
    """The computed allocations on tasks of other projects still to come after ``now``."""
    computed = task_computed_resources
    rows = dbsession.execute(
        select(computed.c.user_id, _tasks.c.id, _tasks.c.computed_start, _tasks.c.computed_end)
        .join(_tasks, _tasks.c.id == computed.c.task_id)
        .where(
            _tasks.c.project_id.not_in(project_ids),
            _tasks.c.computed_start.is_not(None),
            _tasks.c.computed_end > now,
        )
        .order_by(computed.c.user_id, _tasks.c.computed_start)
    )
    return [BusyRow(*row) for row in rows]


def read_snapshot(
    dbsession: Session, studio: Studio, project_ids: list[int] | None, now: datetime
) -> StudioSnapshot:
    """The studio's data for a run of ``project_ids`` (None: every project), in nine queries
    (eight for the whole studio), whatever the number of tasks.

    Tasks outside the run are not read, except the ones tasks in the run wait for (their
    computed dates, as fixed anchors) and the computed allocations of users still to come
    after ``now`` (so the run does not give those hours away again).
    """
    return StudioSnapshot(
        studio_id=studio.id,
        calendar=calendar_of(studio),
        project_ids=project_ids,
        projects=_read_projects(dbsession, project_ids),
        tasks=_read_tasks(dbsession, project_ids),
        dependencies=_read_dependencies(dbsession, project_ids),
        time_logs=_read_time_logs(dbsession, project_ids),
        users=_read_users(dbsession),
        vacations=_read_vacations(dbsession),
        busy=[] if project_ids is None else _read_busy_elsewhere(dbsession, project_ids, now),
        resources=_users_by_task(dbsession, task_resources, project_ids),
        alternatives=_users_by_task(dbsession, task_alternative_resources, project_ids),
    )
