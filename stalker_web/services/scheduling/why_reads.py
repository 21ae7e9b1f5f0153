"""The one statement "Why is it here?" (``why.py``) reads its moments and names with: a
``UNION ALL`` of small lists of (kind, id, name, start, end, vacation id) rows."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import (
    CompoundSelect,
    Integer,
    Select,
    String,
    func,
    literal,
    or_,
    select,
    union_all,
)

from ...models import RunStatus, ScheduleBaseline, ScheduleRun, Task, TimeLog, Vacation
from ...models.meta import UTCDateTime


def run_nows(project_ids: list[int]) -> Select:
    """(project id, now) of the run that computed each project's stored schedule: the latest
    successful run that recorded a baseline for it."""
    latest = (
        select(ScheduleBaseline.project_id, func.max(ScheduleRun.id).label("run_id"))
        .join(ScheduleRun, ScheduleRun.id == ScheduleBaseline.run_id)
        .where(
            ScheduleBaseline.project_id.in_(project_ids),
            ScheduleRun.status == RunStatus.SUCCEEDED,
            ScheduleRun.schedule_now.is_not(None),
        )
        .group_by(ScheduleBaseline.project_id)
        .subquery()
    )
    return select(latest.c.project_id, ScheduleRun.schedule_now).join(
        ScheduleRun, ScheduleRun.id == latest.c.run_id
    )


def moments_statement(
    task_ids: list[int],
    user_ids: Iterable[int],
    before: datetime,
    ancestor_ids: Iterable[int],
    project_ids: Iterable[int] | None,
) -> CompoundSelect:
    """``leave`` rows: the vacations of ``user_ids`` and the studio holidays (no user) starting
    before ``before``; ``log``: the first time logged on each of ``task_ids``; ``name``: the
    names of ``ancestor_ids``; ``now`` (unless ``project_ids`` is None): the now of the run that
    computed each project's schedule (``run_nows``)."""
    no_text, no_date, no_id = (
        literal(None, String),
        literal(None, UTCDateTime),
        literal(None, Integer),
    )
    parts = [
        # First: its typed columns give the union's result types.
        select(
            literal("leave", String),
            Vacation.user_id,
            Vacation.name,
            Vacation.start,
            Vacation.end,
            Vacation.id,
        ).where(
            or_(Vacation.user_id.is_(None), Vacation.user_id.in_(set(user_ids))),
            Vacation.start < before,
        ),
        select(literal("log", String), TimeLog.task_id, no_text, func.min(TimeLog.start))
        .add_columns(no_date, no_id)
        .where(TimeLog.task_id.in_(task_ids))
        .group_by(TimeLog.task_id),
        select(literal("name", String), Task.id, Task.name, no_date, no_date, no_id).where(
            Task.id.in_(set(ancestor_ids))
        ),
    ]
    if project_ids is not None:
        nows = run_nows(sorted(project_ids)).subquery()
        parts.append(
            select(
                literal("now", String), nows.c.project_id, no_text, nows.c.schedule_now
            ).add_columns(no_date, no_id)
        )
    return union_all(*parts)
