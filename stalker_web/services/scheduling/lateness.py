"""Late and at-risk tasks: the one rule every page marks them by.

A task that is not finished (Completed or Stopped) is **late** once its computed or planned end
has passed. It is **at risk** when, not late, its computed end falls after its planned end, after
its project's end, or after the planned date of a milestone that waits for it. The same rule is
given twice: as SQL conditions, so lists filter and page in the database, and as
:func:`standings`, which marks tasks already loaded in two queries whatever their number.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from ...models import Project, Status, Task, TaskDependency
from ..workflow import rules

# Built once: making an alias of Task costs milliseconds, and every count of tasks at risk needs it.
_MILESTONE = aliased(Task)


class Standing(StrEnum):
    """Where a task stands against its dates."""

    ON_TIME = "on_time"
    AT_RISK = "at_risk"
    LATE = "late"

    @property
    def label(self) -> str:
        """The words pages show ("Late", "At risk"; nothing for on time)."""
        return {"late": "Late", "at_risk": "At risk"}.get(self.value, "")


@dataclass(frozen=True)
class TaskDates:
    """What the rule reads of one task (plain values, so scenarios and pages can build them)."""

    status_code: str
    end: datetime | None
    computed_end: datetime | None
    project_end: datetime | None = None
    # The earliest planned date of the milestones waiting for the task, if any.
    milestone_date: datetime | None = None


def standing(dates: TaskDates, now: datetime) -> Standing:
    """The standing of one task at ``now``."""
    if dates.status_code in rules.FINISHED:
        return Standing.ON_TIME
    if any(end is not None and end < now for end in (dates.computed_end, dates.end)):
        return Standing.LATE
    computed = dates.computed_end
    limits = (dates.end, dates.project_end, dates.milestone_date)
    if computed is not None and any(limit is not None and computed > limit for limit in limits):
        return Standing.AT_RISK
    return Standing.ON_TIME


def milestone_dates(dbsession: Session, task_ids: Iterable[int]) -> dict[int, datetime]:
    """The earliest planned date of the milestones waiting for each task, by task id (one
    query); tasks no planned milestone waits for are left out."""
    ids = list(set(task_ids))
    if not ids:
        return {}
    milestone = aliased(Task)
    planned = func.coalesce(milestone.end, milestone.start)
    rows = dbsession.execute(
        select(TaskDependency.depends_on_id, func.min(planned))
        .join(milestone, milestone.id == TaskDependency.task_id)
        .where(
            TaskDependency.depends_on_id.in_(ids),
            milestone.is_milestone.is_(True),
            planned.is_not(None),
        )
        .group_by(TaskDependency.depends_on_id)
    )
    return dict(rows.all())


def earliest_milestone_date(waiting: Iterable[Task]) -> datetime | None:
    """``milestone_dates`` of one task from the tasks waiting for it, already loaded: the
    earliest planned date of those that are milestones (None without any)."""
    planned = [
        task.end or task.start
        for task in waiting
        if task.is_milestone and (task.end or task.start) is not None
    ]
    return min(planned, default=None)


def standings(dbsession: Session, tasks: Iterable[Task], now: datetime) -> dict[int, Standing]:
    """The standing of each task, by id: one query for the milestones waiting for them and one
    for their projects' ends, however many tasks (their statuses should be loaded already)."""
    tasks = list(tasks)
    milestones = milestone_dates(dbsession, (task.id for task in tasks))
    project_ids = {task.project_id for task in tasks}
    ends = select(Project.id, Project.end).where(Project.id.in_(project_ids))
    project_ends = dict(dbsession.execute(ends).all()) if project_ids else {}
    return {
        task.id: standing(
            TaskDates(
                status_code=task.status.code,
                end=task.end,
                computed_end=task.computed_end,
                project_end=project_ends.get(task.project_id),
                milestone_date=milestones.get(task.id),
            ),
            now,
        )
        for task in tasks
    }


def _unfinished() -> ColumnElement[bool]:
    finished = select(Status.id).where(Status.code.in_(rules.FINISHED))
    return Task.status_id.not_in(finished)


def late_condition(now: datetime) -> ColumnElement[bool]:
    """SQL: the task is late at ``now``."""
    return and_(_unfinished(), or_(Task.computed_end < now, Task.end < now))


def at_risk_condition(now: datetime) -> ColumnElement[bool]:
    """SQL: the task is at risk at ``now`` (and not late)."""
    milestone = _MILESTONE
    waits = exists().where(
        TaskDependency.depends_on_id == Task.id,
        TaskDependency.task_id == milestone.id,
        milestone.is_milestone.is_(True),
        Task.computed_end > func.coalesce(milestone.end, milestone.start),
    )
    project_end = select(Project.end).where(Project.id == Task.project_id).scalar_subquery()
    return and_(
        _unfinished(),
        or_(Task.computed_end.is_(None), Task.computed_end >= now),
        or_(Task.end.is_(None), Task.end >= now),
        Task.computed_end.is_not(None),
        or_(Task.computed_end > Task.end, Task.computed_end > project_end, waits),
    )
