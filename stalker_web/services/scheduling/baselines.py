"""Schedule baselines: recording each successful run's computed dates per project, pruning them
to the retention setting, listing them, and the slips of a project since one of them."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy.orm import Session, joinedload

from ...models import BaselineTask, Project, ScheduleBaseline, ScheduleRun, Task
from ...models.meta import utcnow
from ...pagination import DEFAULT_PER_PAGE, Page
from ..tasks.graph import ancestor_names
from ..tasks.progress import format_work_time, studio_calendar, working_seconds

_tasks = Task.__table__
_baselines = ScheduleBaseline.__table__
_baseline_tasks = BaselineTask.__table__


def record_baselines(
    dbsession: Session,
    run_id: int | None,
    project_ids: Iterable[int],
    kept: int,
    *,
    reason: str = "",
    requested_by_id: int | None = None,
) -> int:
    """Keep the computed dates the run just wrote, one baseline per project of ``project_ids``,
    then prune each project to its ``kept`` newest; return the task rows added. Runs in the
    caller's transaction, after the results are written.

    Without a run (``run_id`` None), the plan as it stands is kept for ``reason`` (e.g. before
    a scenario is promoted), as asked by ``requested_by_id``."""
    if run_id is not None:
        requested_by_id = dbsession.scalar(
            select(ScheduleRun.requested_by_id).where(ScheduleRun.id == run_id)
        )
    recorded_at = utcnow()
    added = 0
    for project_id in sorted(project_ids):
        baseline_id = dbsession.execute(
            insert(_baselines)
            .values(
                project_id=project_id,
                run_id=run_id,
                requested_by_id=requested_by_id,
                recorded_at=recorded_at,
                reason=reason,
                task_count=0,
            )
            .returning(_baselines.c.id)
        ).scalar_one()
        dated = select(
            literal(baseline_id), _tasks.c.id, _tasks.c.computed_start, _tasks.c.computed_end
        ).where(
            _tasks.c.project_id == project_id,
            _tasks.c.computed_start.is_not(None),
            _tasks.c.computed_end.is_not(None),
        )
        dbsession.execute(
            insert(_baseline_tasks).from_select(
                ["baseline_id", "task_id", "computed_start", "computed_end"], dated
            )
        )
        # Counted, not read from rowcount: psycopg reports -1 for INSERT ... SELECT.
        rows = dbsession.scalar(
            select(func.count()).where(_baseline_tasks.c.baseline_id == baseline_id)
        )
        dbsession.execute(
            _baselines.update().where(_baselines.c.id == baseline_id).values(task_count=rows)
        )
        added += rows
        prune_baselines(dbsession, project_id, kept)
    return added


def prune_baselines(dbsession: Session, project_id: int, kept: int) -> int:
    """Delete the project's baselines beyond its ``kept`` newest (oldest first); return how many
    went."""
    old = list(
        dbsession.scalars(
            select(_baselines.c.id)
            .where(_baselines.c.project_id == project_id)
            .order_by(_baselines.c.recorded_at.desc(), _baselines.c.id.desc())
            .offset(kept)
        )
    )
    if old:
        dbsession.execute(delete(_baseline_tasks).where(_baseline_tasks.c.baseline_id.in_(old)))
        dbsession.execute(delete(_baselines).where(_baselines.c.id.in_(old)))
    return len(old)


def project_baselines(dbsession: Session, project: Project) -> list[ScheduleBaseline]:
    """The project's kept baselines, newest first, with who ran each."""
    return list(
        dbsession.scalars(
            select(ScheduleBaseline)
            .options(joinedload(ScheduleBaseline.requested_by))
            .where(ScheduleBaseline.project_id == project.id)
            .order_by(ScheduleBaseline.recorded_at.desc(), ScheduleBaseline.id.desc())
        )
    )


def project_baseline(
    dbsession: Session, project_id: int, baseline_id: int | None
) -> ScheduleBaseline | None:
    """The project's baseline ``baseline_id`` with who ran it (None: no id, or not kept)."""
    if baseline_id is None:
        return None
    return dbsession.scalars(
        select(ScheduleBaseline)
        .options(joinedload(ScheduleBaseline.requested_by))
        .where(ScheduleBaseline.id == baseline_id, ScheduleBaseline.project_id == project_id)
    ).first()


def chosen_baseline(
    baselines: list[ScheduleBaseline], baseline_id: int | None, *, default_oldest: bool
) -> ScheduleBaseline | None:
    """The baseline of ``baselines`` (newest first) with ``baseline_id``; without an id, the
    oldest kept one when ``default_oldest``, else None. LookupError for an id not among them."""
    if baseline_id is None:
        return baselines[-1] if default_oldest and baselines else None
    for baseline in baselines:
        if baseline.id == baseline_id:
            return baseline
    raise LookupError(baseline_id)


def baseline_label(baseline: ScheduleBaseline) -> str:
    """How a producer tells baselines apart: when the run finished and who asked for it, or
    why the plan was kept."""
    if baseline.reason:
        return f"{baseline.recorded_at:%Y-%m-%d %H:%M} UTC, {baseline.reason}"
    who = baseline.requested_by.name if baseline.requested_by is not None else "someone"
    return f"{baseline.recorded_at:%Y-%m-%d %H:%M} UTC, run by {who}"


def baseline_dates(
    dbsession: Session, baseline: ScheduleBaseline, task_ids: list[int]
) -> dict[int, tuple[datetime, datetime]]:
    """task id → (start, end) in ``baseline`` for those of ``task_ids`` it has."""
    if not task_ids:
        return {}
    rows = dbsession.execute(
        select(BaselineTask.task_id, BaselineTask.computed_start, BaselineTask.computed_end).where(
            BaselineTask.baseline_id == baseline.id, BaselineTask.task_id.in_(task_ids)
        )
    )
    return {task_id: (start, end) for task_id, start, end in rows}


@dataclass
class Slip:
    """A task whose computed end is later than in the baseline, and by how much working time."""

    task: Task
    baseline_end: datetime
    current_end: datetime
    working_seconds: float
    amount: str
    path_names: list[str]


def slips_page(
    dbsession: Session,
    baseline: ScheduleBaseline,
    number: int = 1,
    per_page: int = DEFAULT_PER_PAGE,
    params: dict | None = None,
) -> Page:
    """One page of the baseline project's slipped tasks: milestones first, then by slip,
        largest first (working time on the studio calendar), each with its ancestors' names. A
    fixed number of queries whatever the size."""
    studio = studio_calendar(dbsession)
    moved = dbsession.execute(
        select(Task.id, Task.is_milestone, Task.name, BaselineTask.computed_end, Task.computed_end)
        .join(BaselineTask, BaselineTask.task_id == Task.id)
        .where(
            BaselineTask.baseline_id == baseline.id,
            Task.computed_end > BaselineTask.computed_end,
        )
    ).all()
    ranked = sorted(
        (
            (
                working_seconds(before, after, studio.working_hours, studio.time_zone),
                task_id,
                milestone,
                name,
            )
            + (before, after)
            for task_id, milestone, name, before, after in moved
        ),
        key=lambda row: (not row[2], -row[0], row[3], row[1]),
    )
    number = max(1, min(number, math.ceil(len(ranked) / per_page) or 1))
    shown = ranked[(number - 1) * per_page : number * per_page]
    tasks = {
        task.id: task
        for task in dbsession.scalars(
            select(Task).options(joinedload(Task.status)).where(Task.id.in_([r[1] for r in shown]))
        )
    }
    names = ancestor_names(dbsession, tasks.values())
    items = [
        Slip(
            tasks[task_id],
            before,
            after,
            seconds,
            format_work_time(seconds, studio.daily_working_hours) if seconds else "no working time",
            names[task_id],
        )
        for seconds, task_id, _, _, before, after in shown
    ]
    return Page(items, number, per_page, len(ranked), params=params or {})
