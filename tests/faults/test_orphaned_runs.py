"""Orphaned schedule runs: a worker killed while tj3 runs, or a database cut while the run ends,
must not leave the run "running" with the studio's lock, tj3 running and its folder behind."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import ScheduleRun
from stalker_web.models.schedule_run import RunPhase, RunStatus
from stalker_web.queue import JobQueue
from stalker_web.services.scheduling.reaping import reap_orphaned_runs
from stalker_web.services.scheduling.runs import execute_run, request_run
from stalker_web.services.scheduling.settings import SchedulingSettings

from ..conftest import prepare_studio_database
from ..services.scheduling.conftest import StudioBuilder

REPOSITORY = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(shutil.which("tj3") is None, reason="needs tj3")


@pytest.fixture
def database(fresh_database_url, studio_config):
    """A studio database with a project to schedule; its URL and a session factory."""
    prepare_studio_database(fresh_database_url, "boss", "Studio Admin")
    engine = get_engine({"sqlalchemy.url": fresh_database_url})
    session_factory = get_session_factory(engine)
    with session_factory() as dbsession:
        builder = StudioBuilder(dbsession, studio_config)
        ann = builder.user("Ann")
        builder.task("Layout", project=builder.project(), hours=9, resources=[ann])
        builder.commit()
    yield fresh_database_url, session_factory
    engine.dispose()


def slow_tj3(directory: Path, seconds: float) -> str:
    """A tj3 command that waits ``seconds`` before running the real tj3."""
    script = directory / "slow-tj3"
    script.write_text(f'#!/bin/sh\nsleep {seconds}\nexec tj3 "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def queued_run(session_factory) -> int:
    with session_factory() as dbsession, dbsession.begin():
        run, created = request_run(dbsession, None, None, settings=SchedulingSettings())
        assert created
        return run.id


def the_run(session_factory, run_id: int) -> ScheduleRun:
    with session_factory() as dbsession:
        run = dbsession.get(ScheduleRun, run_id)
        dbsession.expunge(run)
        return run


def wait_for_tj3(session_factory, run_id: int) -> ScheduleRun:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run = the_run(session_factory, run_id)
        if run.phase == RunPhase.SCHEDULING and run.tj3_pid is not None:
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} never started tj3")


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state != "Z"  # a zombie is gone, only not yet waited for


def run_folders(work_directory: Path, run_id: int) -> list[Path]:
    return list(work_directory.glob(f"stalker_web_run{run_id}_*"))


def test_a_killed_worker_s_run_is_ended_its_tj3_killed_and_its_folder_removed(database, tmp_path):
    url, session_factory = database
    work_directory = tmp_path / "runs"
    work_directory.mkdir()
    run_id = queued_run(session_factory)
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "tests.faults.schedule_worker",
            url, str(run_id), slow_tj3(tmp_path, 120), str(work_directory),
        ],
        cwd=REPOSITORY,
    )  # fmt: skip
    try:
        tj3_pid = wait_for_tj3(session_factory, run_id).tj3_pid
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        # What the fault leaves: the run holds the lock, tj3 runs on, its folder stays.
        assert the_run(session_factory, run_id).status == RunStatus.RUNNING
        assert process_exists(tj3_pid)
        assert run_folders(work_directory, run_id)

        reaped = reap_orphaned_runs(
            session_factory, SchedulingSettings(work_directory=work_directory), starting=True
        )
    finally:
        if worker.poll() is None:
            worker.kill()
    assert reaped == [run_id]
    run = the_run(session_factory, run_id)
    assert run.status == RunStatus.FAILED
    assert (run.lock_studio_id, run.finished_at is not None) == (None, True)
    assert "The scheduling worker stopped while this run was going" in run.error
    assert f"process {worker.pid}" in run.error
    deadline = time.monotonic() + 10
    while process_exists(tj3_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not process_exists(tj3_pid)
    assert run_folders(work_directory, run_id) == []
    with session_factory() as dbsession, dbsession.begin():
        _, created = request_run(dbsession, None, None, settings=SchedulingSettings())
    assert created  # the lock is free again


def test_the_watchdog_ends_a_run_once_its_worker_is_gone(database, tmp_path):
    url, session_factory = database
    run_id = queued_run(session_factory)
    living = subprocess.Popen(["sleep", "30"])
    try:
        with session_factory() as dbsession, dbsession.begin():
            run = dbsession.get(ScheduleRun, run_id)
            run.status = RunStatus.RUNNING
            run.worker_host = os.uname().nodename
            run.worker_pid = living.pid
        assert reap_orphaned_runs(session_factory, SchedulingSettings()) == []
        assert the_run(session_factory, run_id).status == RunStatus.RUNNING
        living.kill()
        living.wait()
        queue = JobQueue(
            {
                "sqlalchemy.url": url,
                "huey.storage": "sqlite",
                "huey.path": str(tmp_path / "huey.sqlite"),
            }
        )
        try:
            assert queue.reap_orphaned_runs() == [run_id]
        finally:
            queue.close()
    finally:
        living.kill()
        living.wait()
    assert the_run(session_factory, run_id).status == RunStatus.FAILED


@pytest.mark.usefixtures("postgresql_only")
def test_a_database_cut_while_a_run_ends_is_recorded_once_it_is_back(
    database, database_proxy, tmp_path
):
    _, session_factory = database
    proxy, proxied_url = database_proxy
    proxied_engine = get_engine({"sqlalchemy.url": proxied_url, "sqlalchemy.pool_pre_ping": "1"})
    run_id = queued_run(session_factory)
    settings = SchedulingSettings(
        tj3_command=slow_tj3(tmp_path, 2), work_directory=tmp_path, heartbeat_seconds=0.5
    )
    worker = threading.Thread(
        target=execute_run, args=(get_session_factory(proxied_engine), run_id, settings)
    )
    worker.start()
    try:
        wait_for_tj3(session_factory, run_id)
        proxy.cut()  # tj3 ends while the database cannot be reached
        time.sleep(5)
        assert the_run(session_factory, run_id).status == RunStatus.RUNNING
        proxy.restore()
        worker.join(timeout=60)
    finally:
        proxy.restore()
        worker.join(timeout=60)
        proxied_engine.dispose()
    assert not worker.is_alive()
    run = the_run(session_factory, run_id)
    assert run.status == RunStatus.FAILED
    assert run.lock_studio_id is None
    assert "connection to the database was lost" in run.error
    with session_factory() as dbsession:
        assert (
            dbsession.scalar(select(ScheduleRun.id).where(ScheduleRun.lock_studio_id.is_not(None)))
            is None
        )


def test_the_watchdog_ends_a_silent_run_of_another_host(database):
    _, session_factory = database
    run_id = queued_run(session_factory)
    with session_factory() as dbsession, dbsession.begin():
        run = dbsession.get(ScheduleRun, run_id)
        run.status = RunStatus.RUNNING
        run.worker_host = "another-host"
        run.worker_pid = 1
        run.heartbeat_at = run.heartbeat_at - timedelta(seconds=301)
    assert reap_orphaned_runs(session_factory, SchedulingSettings(stale_after_seconds=300)) == [
        run_id
    ]
    run = the_run(session_factory, run_id)
    assert (run.status, run.lock_studio_id) == (RunStatus.FAILED, None)
    assert "no heartbeat for over 300 s" in run.error
