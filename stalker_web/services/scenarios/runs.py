"""Scheduling a what-if scenario: asking for its run and what the run reads and writes.

``request_scenario_run`` queues a run holding the scenario's lock (``lock_scenario_id``: one
active run per scenario; live runs are never blocked by it, nor it by them). The worker's
``scheduling.runs.execute_run`` carries it out like a live run, with ``scenario_run_input`` saying
what it schedules (the whole studio read live, with the scenario laid over it) and where the
results go (``results.write_scenario_results``: the scenario's rows only, never the live ones,
never a baseline).
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Scenario, ScheduleRun, Studio, User
from ...models.meta import utcnow
from ..scheduling.results import ScheduleResults
from ..scheduling.runs import RunInput, queue_run
from ..scheduling.settings import SchedulingSettings
from ..scheduling.snapshot import read_snapshot
from .fingerprint import snapshot_fingerprint
from .overlay import apply_scenario, load_scenario_overlay
from .results import write_scenario_results

RUN_NAME_LENGTH = 256


def _run_name(scenario: Scenario, now: datetime) -> str:
    suffix = f"', {now:%Y-%m-%d %H:%M} UTC"
    name = scenario.name[: RUN_NAME_LENGTH - len(suffix) - len("What-if '")]
    return f"What-if '{name}{suffix}"


def request_scenario_run(
    dbsession: Session,
    scenario: Scenario,
    user: User | None,
    settings: SchedulingSettings | None = None,
) -> tuple[ScheduleRun, bool]:
    """A queued run of ``scenario`` asked for by ``user``, and True; or the scenario's run
    already queued or running, and False. A promoted scenario is refused (it is read only).
    The caller commits and then hands the run to the worker (``queue.enqueue_after_commit``)."""
    from .editing import refuse_promoted  # editing reads this module's latest run

    refuse_promoted(scenario)
    return queue_run(
        dbsession,
        user,
        scenario.studio_id,
        name=_run_name(scenario, utcnow()),
        scenario_id=scenario.id,
        settings=settings,
    )


def latest_scenario_run(dbsession: Session, scenario: Scenario) -> ScheduleRun | None:
    """The scenario's most recent run (active or ended), if it ever had one."""
    return dbsession.scalars(
        select(ScheduleRun)
        .where(ScheduleRun.scenario_id == scenario.id)
        .order_by(ScheduleRun.id.desc())
        .limit(1)
    ).first()


def scenario_run_input(
    dbsession: Session, run: ScheduleRun, studio: Studio, now: datetime
) -> RunInput:
    """What the scenario run ``run`` schedules: the whole studio as it is live, its fingerprint
    taken, with the scenario laid over it; its results go to the scenario's rows."""
    snapshot = read_snapshot(dbsession, studio, None, now)
    fingerprint = snapshot_fingerprint(snapshot)
    overlay = load_scenario_overlay(dbsession, run.scenario_id)
    read_at = utcnow()

    def write(dbsession: Session, results: ScheduleResults, schedule_now: datetime) -> int:
        return write_scenario_results(
            dbsession,
            overlay.scenario_id,
            results,
            schedule_now=schedule_now,
            fingerprint=fingerprint,
            read_at=read_at,
        )

    return RunInput(apply_scenario(snapshot, overlay), write)
