"""An admin's part of the home page: the studio's state at a glance (people, projects, the last
schedule run, runs waiting for a worker, recent failed sign-ins), two queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ...models import Project, ScheduleRun, User
from ...models.schedule_run import RunStatus
from ..accounts.auth_log import failed_sign_ins_count
from ..scheduling.history import status_label

FAILED_SIGN_INS_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class StudioState:
    """The studio at a glance; the last run is the live plan's latest (None before any)."""

    active_users: int
    inactive_users: int
    projects: int
    last_run: ScheduleRun | None
    last_run_result: str
    # Live or what-if runs queued or running, and since when the oldest queued one waits.
    runs_in_progress: int
    oldest_queued: datetime | None
    failed_sign_ins: int


def studio_state(dbsession: Session, now: datetime) -> StudioState:
    """The studio's state at ``now``: two queries whatever its size (the counts as scalar
    subqueries of one select, then the last run)."""
    runs_in_progress = ScheduleRun.status.in_((RunStatus.QUEUED, RunStatus.RUNNING))
    counts = dbsession.execute(
        select(
            select(func.count()).where(User.is_active.is_(True)).scalar_subquery(),
            select(func.count()).where(User.is_active.is_(False)).scalar_subquery(),
            select(func.count(Project.id)).scalar_subquery(),
            select(func.count()).where(runs_in_progress).scalar_subquery(),
            select(func.min(ScheduleRun.date_created))
            .where(ScheduleRun.status == RunStatus.QUEUED)
            .scalar_subquery(),
            failed_sign_ins_count(now - FAILED_SIGN_INS_WINDOW).scalar_subquery(),
        )
    ).one()
    active, inactive, projects, in_progress, oldest, failed = counts
    last_run = dbsession.scalars(
        select(ScheduleRun)
        .where(ScheduleRun.scenario_id.is_(None))
        .options(joinedload(ScheduleRun.requested_by))
        .order_by(ScheduleRun.id.desc())
        .limit(1)
    ).first()
    return StudioState(
        active_users=active,
        inactive_users=inactive,
        projects=projects,
        last_run=last_run,
        last_run_result=status_label(last_run) if last_run is not None else "",
        runs_in_progress=in_progress,
        oldest_queued=oldest,
        failed_sign_ins=failed,
    )
