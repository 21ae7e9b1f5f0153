"""An admin's part of the home page: the studio's state at a glance (people, projects, the last
schedule run, runs waiting for a worker, recent failed sign-ins), five queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ...models import Project, ScheduleRun, User
from ...models.schedule_run import RunStatus
from ..accounts.auth_log import failed_sign_ins_since
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
    """The studio's state at ``now``: five queries whatever its size."""
    users = dict(
        dbsession.execute(select(User.is_active, func.count()).group_by(User.is_active)).all()
    )
    last_run = dbsession.scalars(
        select(ScheduleRun)
        .where(ScheduleRun.scenario_id.is_(None))
        .options(joinedload(ScheduleRun.requested_by))
        .order_by(ScheduleRun.id.desc())
        .limit(1)
    ).first()
    in_progress, oldest = dbsession.execute(
        select(
            func.count(),
            func.min(ScheduleRun.date_created).filter(ScheduleRun.status == RunStatus.QUEUED),
        ).where(ScheduleRun.status.in_((RunStatus.QUEUED, RunStatus.RUNNING)))
    ).one()
    return StudioState(
        active_users=users.get(True, 0),
        inactive_users=users.get(False, 0),
        projects=dbsession.scalar(select(func.count(Project.id))),
        last_run=last_run,
        last_run_result=status_label(last_run) if last_run is not None else "",
        runs_in_progress=in_progress,
        oldest_queued=oldest,
        failed_sign_ins=failed_sign_ins_since(dbsession, now - FAILED_SIGN_INS_WINDOW),
    )
