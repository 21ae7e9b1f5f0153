"""The late and at-risk leaf tasks of a project: their counts, the first few for the overview and
a page of 50 for the lateness list, sorted by how late, each with its path and people."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...models import Project, Task, User
from ...pagination import DEFAULT_PER_PAGE, Page, paginate
from ..scheduling.lateness import (
    Standing,
    TaskDates,
    at_risk_condition,
    late_condition,
    milestone_dates,
)
from ..scheduling.lateness import (
    standing as standing_of,
)
from ..tasks.columns import is_leaf, seconds_between
from ..tasks.paths import task_paths
from ..versions.thumbnails import latest_thumbnails

PREVIEW = 10
LISTED = (Standing.LATE, Standing.AT_RISK)


@dataclass(frozen=True)
class LateTask:
    """A late or at-risk task as the lists show it."""

    task: Task
    path: str
    assignees: list[User]
    # How late it is or will be, in words ("3 days late", "ends 2 days after its planned end").
    how_late: str
    # The file whose thumbnail stands for it (its latest version's), if any.
    thumbnail_file_id: int | None = None


@dataclass(frozen=True)
class LatenessSummary:
    """How many tasks are late and at risk, and the first ``PREVIEW`` of each."""

    late_count: int
    at_risk_count: int
    late: list[LateTask]
    at_risk: list[LateTask]
    # Whether a schedule run computed dates for any of the project's leaf tasks.
    scheduled: bool


def parse_standing(raw: str | None) -> Standing | None:
    """``late`` or ``at_risk`` from the query string; anything else is None."""
    return next((standing for standing in LISTED if standing.value == raw), None)


def _earliest_end() -> ColumnElement:
    """The earlier of the planned and computed ends (whichever is set)."""
    return case(
        (Task.end.is_(None), Task.computed_end),
        (Task.computed_end.is_(None), Task.end),
        (Task.end < Task.computed_end, Task.end),
        else_=Task.computed_end,
    )


def _listed(dbsession: Session, project: Project, standing: Standing, now: datetime) -> Select:
    condition = late_condition(now) if standing is Standing.LATE else at_risk_condition(now)
    statement = (
        select(Task)
        .where(Task.project_id == project.id, is_leaf(), condition)
        .options(joinedload(Task.status), selectinload(Task.resources))
    )
    if standing is Standing.LATE:
        return statement.order_by(_earliest_end(), Task.id)
    # The furthest computed end past its planned (or else the project's) end first.
    limit = func.coalesce(Task.end, project.end, Task.computed_end)
    return statement.order_by(
        seconds_between(dbsession, limit, Task.computed_end).desc(), Task.computed_end, Task.id
    )


def days_text(seconds: float) -> str:
    """A delay in words: "3 days", "1 day", "5 h"."""
    days = int(seconds // 86400)
    if days >= 1:
        return f"{days} day{'s' if days > 1 else ''}"
    return f"{max(1, round(seconds / 3600))} h"


def _is_late(task: Task, now: datetime) -> bool:
    dates = TaskDates(task.status.code, task.end, task.computed_end)
    return standing_of(dates, now) is Standing.LATE


def _how_late(task: Task, project: Project, milestone: datetime | None, now: datetime) -> str:
    if _is_late(task, now):
        passed = [end for end in (task.end, task.computed_end) if end is not None and end < now]
        return f"{days_text((now - min(passed)).total_seconds())} late"
    limits = [
        (limit, words)
        for limit, words in (
            (task.end, "its planned end"),
            (project.end, "the project's end"),
            (milestone, "a milestone waiting for it"),
        )
        if limit is not None and task.computed_end > limit
    ]
    limit, words = min(limits, key=lambda pair: pair[0])
    return f"ends {days_text((task.computed_end - limit).total_seconds())} after {words}"


def _rows(dbsession: Session, project: Project, tasks: list[Task], now: datetime):
    """The tasks as LateTasks: two queries for their paths, one for the milestones waiting for
    the at-risk ones, one for their thumbnails."""
    paths = task_paths(dbsession, tasks)
    at_risk = [task.id for task in tasks if not _is_late(task, now)]
    milestones = milestone_dates(dbsession, at_risk) if at_risk else {}
    thumbnails = latest_thumbnails(dbsession, [task.id for task in tasks])
    return [
        LateTask(
            task,
            paths[task.id],
            sorted(task.resources, key=lambda user: user.name),
            _how_late(task, project, milestones.get(task.id), now),
            thumbnails.get(task.id),
        )
        for task in tasks
    ]


def lateness_counts(
    dbsession: Session, project_ids: Iterable[int], now: datetime
) -> dict[int, tuple[int, int]]:
    """How many leaf tasks of each project are late and at risk at ``now``, by project id (one
    grouped query however many projects; (0, 0) for a project without any)."""
    return {
        project_id: (late, at_risk)
        for project_id, (late, at_risk, _) in _leaf_counts(dbsession, project_ids, now).items()
    }


def _leaf_counts(
    dbsession: Session, project_ids: Iterable[int], now: datetime
) -> dict[int, tuple[int, int, int]]:
    """By project id: its late, at-risk and scheduled (computed end set) leaves, one query."""
    ids = sorted(set(project_ids))
    counts = dict.fromkeys(ids, (0, 0, 0))
    if not ids:
        return counts
    rows = dbsession.execute(
        select(
            Task.project_id,
            func.count().filter(late_condition(now)),
            func.count().filter(at_risk_condition(now)),
            func.count(Task.computed_end),
        )
        .where(Task.project_id.in_(ids), is_leaf())
        .group_by(Task.project_id)
    )
    counts.update((project_id, tuple(figures)) for project_id, *figures in rows)
    return counts


def lateness_summary(dbsession: Session, project: Project, now: datetime) -> LatenessSummary:
    """Both counts (and whether anything is scheduled) in one query, the first ``PREVIEW`` late
    and at-risk tasks, their paths and people and thumbnails: nine queries whatever the size of
    the project."""
    late, at_risk, scheduled = _leaf_counts(dbsession, [project.id], now)[project.id]
    firsts = {
        standing: list(dbsession.scalars(_listed(dbsession, project, standing, now).limit(PREVIEW)))
        if count
        else []
        for standing, count in ((Standing.LATE, late), (Standing.AT_RISK, at_risk))
    }
    rows = _rows(dbsession, project, firsts[Standing.LATE] + firsts[Standing.AT_RISK], now)
    late_rows, at_risk_rows = rows[: len(firsts[Standing.LATE])], rows[len(firsts[Standing.LATE]) :]
    return LatenessSummary(late, at_risk, late_rows, at_risk_rows, scheduled=bool(scheduled))


def lateness_page(
    dbsession: Session,
    project: Project,
    standing: Standing,
    now: datetime,
    number: int,
    per_page: int = DEFAULT_PER_PAGE,
) -> Page:
    """One page of the project's late (or at-risk) leaf tasks, most late first, as LateTasks."""
    page = paginate(
        dbsession,
        _listed(dbsession, project, standing, now),
        number,
        per_page,
        params={"standing": standing.value},
    )
    page.items = _rows(dbsession, project, page.items, now)
    return page
