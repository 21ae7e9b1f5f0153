"""Orphaned runs: a run still "running" whose worker is gone (killed, crashed, its host
restarted) holds the studio's lock and may have left tj3 running and its folder behind.

A worker records its host and process id on the run it claims (``worker_processes``, shared
with the breakdown imports). A worker that starts, and its watchdog every minute, call
``reap_orphaned_runs``: each running run of this host whose worker process is gone is marked
failed with what happened, its lock released, its tj3 process group killed and its folder
removed. Runs of other hosts cannot be checked that way: any active run whose heartbeat is older
than ``stale_after_seconds`` is ended as well, so a worker on another host frees them without
waiting for someone to ask for a new run.
"""

import logging
import os
import shutil
import signal
import tempfile
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from ...models import ScheduleRun
from ...models.meta import utcnow
from ...models.schedule_run import ACTIVE_STATUSES, RunStatus
from ..worker_processes import this_host, worker_is_gone
from .runs import RUN_FOLDER_PREFIX, recover_stale_runs
from .settings import SchedulingSettings

log = logging.getLogger(__name__)
_runs = ScheduleRun.__table__


@dataclass(frozen=True)
class _RunningRun:
    id: int
    worker_pid: int
    tj3_pid: int | None


def _run_folders(run_id: int, work_directory: Path | None) -> list[Path]:
    root = Path(work_directory or tempfile.gettempdir())
    return list(root.glob(f"{RUN_FOLDER_PREFIX}{run_id}_*"))


def _kill_tj3(run_id: int, tj3_pid: int | None) -> None:
    """Kill tj3's process group when its leader is still this run's tj3 (its command line
    names the run's folder), not a process that reused the id."""
    if tj3_pid is None:
        return
    try:
        command_line = Path(f"/proc/{tj3_pid}/cmdline").read_bytes()
    except OSError:
        return
    if f"/{RUN_FOLDER_PREFIX}{run_id}_".encode() not in command_line:
        return
    with suppress(ProcessLookupError):
        os.killpg(tj3_pid, signal.SIGKILL)
        log.warning("schedule run %s: killed its orphaned tj3 (process group %s)", run_id, tj3_pid)


def _end_orphan(session_factory: sessionmaker, run: _RunningRun, host: str) -> bool:
    """Mark the run failed if it is still running for the same worker; whether it was."""
    now = utcnow()
    with session_factory() as dbsession, dbsession.begin():
        result = dbsession.execute(
            update(_runs)
            .where(
                _runs.c.id == run.id,
                _runs.c.status == RunStatus.RUNNING,
                _runs.c.worker_host == host,
                _runs.c.worker_pid == run.worker_pid,
            )
            .values(
                status=RunStatus.FAILED,
                lock_studio_id=None,
                lock_scenario_id=None,
                finished_at=now,
                heartbeat_at=now,
                error=(
                    f"The scheduling worker stopped while this run was going (process "
                    f"{run.worker_pid} on {host} is gone), so the run was ended; the schedule "
                    "is unchanged. Ask for a new run."
                ),
                version_id=_runs.c.version_id + 1,
            )
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


def reap_orphaned_runs(
    session_factory: sessionmaker, settings: SchedulingSettings, *, starting: bool = False
) -> list[int]:
    """End this host's running runs whose worker is gone (``starting``: also those recorded
    with this process's id, which a restarted worker may reuse), then every active run whose
    heartbeat is stale; the ids of the runs ended here."""
    host = this_host()
    with session_factory() as dbsession:
        running = [
            _RunningRun(row.id, row.worker_pid, row.tj3_pid)
            for row in dbsession.execute(
                select(_runs.c.id, _runs.c.worker_pid, _runs.c.tj3_pid).where(
                    _runs.c.status == RunStatus.RUNNING,
                    _runs.c.worker_host == host,
                    _runs.c.worker_pid.is_not(None),
                )
            )
        ]
    reaped = []
    for run in running:
        if worker_is_gone(run.worker_pid, starting=starting) and _end_orphan(
            session_factory, run, host
        ):
            _kill_tj3(run.id, run.tj3_pid)
            for folder in _run_folders(run.id, settings.work_directory):
                shutil.rmtree(folder, ignore_errors=True)
            log.warning("schedule run %s: its worker %s is gone; marked failed", run.id, host)
            reaped.append(run.id)
    return reaped + _end_stale_runs(session_factory, settings.stale_after_seconds)


def _end_stale_runs(session_factory: sessionmaker, stale_after_seconds: float) -> list[int]:
    """End every active run whose heartbeat is older than the limit (see
    ``runs.recover_stale_runs``); their ids."""
    limit = utcnow() - timedelta(seconds=stale_after_seconds)
    with session_factory() as dbsession, dbsession.begin():
        stale = dbsession.execute(
            select(_runs.c.id, _runs.c.studio_id, _runs.c.lock_scenario_id).where(
                _runs.c.status.in_(ACTIVE_STATUSES), _runs.c.heartbeat_at < limit
            )
        ).all()
        for row in stale:
            recover_stale_runs(
                dbsession, row.studio_id, stale_after_seconds, scenario_id=row.lock_scenario_id
            )
    return [row.id for row in stale]
