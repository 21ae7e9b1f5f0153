"""Orphaned breakdown imports: a worker killed during an import must not leave the import
"running", holding its project, until the next import an hour later; nor may an import that no
worker took."""

import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import BreakdownImport, ImportStatus, Project, Task
from stalker_web.queue import JobQueue
from stalker_web.services.breakdown.import_jobs import (
    STALLED_AFTER,
    reap_orphaned_imports,
    refuse_while_importing,
    start_import,
)
from stalker_web.services.errors import ValidationError
from stalker_web.services.worker_processes import this_host

from ..conftest import prepare_studio_database
from ..factories import Factory
from .test_redis_down import shots_file

REPOSITORY = Path(__file__).resolve().parents[2]


@pytest.fixture
def database(fresh_database_url, studio_config):
    """A studio database with an empty project; its URL, a session factory and the project id."""
    prepare_studio_database(fresh_database_url, "boss", "Studio Admin")
    engine = get_engine({"sqlalchemy.url": fresh_database_url})
    session_factory = get_session_factory(engine)
    with session_factory() as dbsession, dbsession.begin():
        project_id = Factory(dbsession, studio_config).project(name="Big", code="BG").id
    yield fresh_database_url, session_factory, project_id
    engine.dispose()


def queued_import(session_factory, project_id: int) -> int:
    with session_factory() as dbsession, dbsession.begin():
        project = dbsession.get(Project, project_id)
        return start_import(dbsession, project, None, shots_file(600)).id


def the_import(session_factory, import_id: int) -> BreakdownImport:
    with session_factory() as dbsession:
        record = dbsession.get(BreakdownImport, import_id)
        dbsession.expunge(record)
        return record


def wait_until_running(session_factory, import_id: int) -> BreakdownImport:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        record = the_import(session_factory, import_id)
        if record.status == ImportStatus.RUNNING:
            return record
        time.sleep(0.2)
    raise AssertionError(f"import {import_id} never started")


def project_is_free(session_factory, project_id: int) -> bool:
    with session_factory() as dbsession:
        try:
            refuse_while_importing(dbsession, dbsession.get(Project, project_id))
        except ValidationError:
            return False
        return True


def test_a_killed_worker_s_import_is_ended_and_frees_its_project(database, tmp_path):
    url, session_factory, project_id = database
    import_id = queued_import(session_factory, project_id)
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.import_worker", url, str(import_id)], cwd=REPOSITORY
    )
    try:
        record = wait_until_running(session_factory, import_id)
        assert (record.worker_host, record.worker_pid) == (this_host(), worker.pid)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        # What the fault leaves: the import runs on in its record and holds the project.
        assert the_import(session_factory, import_id).status == ImportStatus.RUNNING
        assert not project_is_free(session_factory, project_id)

        queue = JobQueue({"sqlalchemy.url": url, "huey.path": str(tmp_path / "huey.sqlite")})
        try:
            queue.watchdog(starting=True)  # as a worker starting on this host does
        finally:
            queue.close()
    finally:
        if worker.poll() is None:
            worker.kill()
    record = the_import(session_factory, import_id)
    assert record.status == ImportStatus.FAILED
    assert (record.lock_project_id, record.finished_at is not None) == (None, True)
    assert record.message.startswith("The worker stopped during the import")
    assert f"process {worker.pid}" in record.message
    assert project_is_free(session_factory, project_id)
    with session_factory() as dbsession:
        tasks = dbsession.scalar(select(func.count(Task.id)).where(Task.project_id == project_id))
    assert tasks == 0  # the killed import's transaction took its lines with it
    queued_import(session_factory, project_id)  # a new import of the project is accepted


def test_the_watchdog_leaves_an_import_whose_worker_lives(database):
    _, session_factory, project_id = database
    import_id = queued_import(session_factory, project_id)
    living = subprocess.Popen(["sleep", "30"])
    try:
        with session_factory() as dbsession, dbsession.begin():
            record = dbsession.get(BreakdownImport, import_id)
            record.status = ImportStatus.RUNNING
            record.worker_host, record.worker_pid = this_host(), living.pid
        assert reap_orphaned_imports(session_factory) == []
        assert the_import(session_factory, import_id).status == ImportStatus.RUNNING
        living.kill()
        living.wait()
        assert reap_orphaned_imports(session_factory) == [import_id]
    finally:
        living.kill()
        living.wait()
    assert the_import(session_factory, import_id).status == ImportStatus.FAILED


def test_an_import_no_worker_took_frees_its_project_after_an_hour(database):
    _, session_factory, project_id = database
    import_id = queued_import(session_factory, project_id)
    assert not project_is_free(session_factory, project_id)
    with session_factory() as dbsession, dbsession.begin():
        record = dbsession.get(BreakdownImport, import_id)
        record.date_created = record.date_created - STALLED_AFTER - timedelta(minutes=1)
    with session_factory() as dbsession, dbsession.begin():
        refuse_while_importing(dbsession, dbsession.get(Project, project_id))
    record = the_import(session_factory, import_id)
    assert (record.status, record.lock_project_id) == (ImportStatus.FAILED, None)
    assert record.message.startswith("No worker took the import within an hour")
