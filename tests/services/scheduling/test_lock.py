"""One run at a time per studio: the lock, its release, recovery from a crashed worker, and a
run that lost its lock writing nothing."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from stalker_web.models import RunPhase, RunStatus, ScheduleRun, Studio
from stalker_web.models.meta import utcnow
from stalker_web.services.errors import ValidationError
from stalker_web.services.scheduling.runs import (
    active_run,
    execute_run,
    recover_stale_runs,
    request_run,
)

from .conftest import computed, schedule


def request(session_factory, settings, project_ids=None, user=None):
    with session_factory() as dbsession, dbsession.begin():
        run, created = request_run(dbsession, user, project_ids, settings=settings)
        return run.id, created


def runs(session_factory) -> list[ScheduleRun]:
    with session_factory() as dbsession:
        found = list(dbsession.scalars(select(ScheduleRun).order_by(ScheduleRun.id)))
        dbsession.expunge_all()
        return found


def test_a_request_while_a_run_is_active_gets_that_run(builder, session_factory, settings):
    user = builder.user("Producer")
    builder.commit()
    first_id, created = request(session_factory, settings, user=user)
    assert created
    second_id, created_again = request(session_factory, settings)
    assert (second_id, created_again) == (first_id, False)
    (run,) = runs(session_factory)
    assert (run.status, run.phase, run.requested_by_id) == (
        RunStatus.QUEUED,
        RunPhase.QUEUED,
        user.id,
    )
    assert run.is_active and run.is_whole_studio and run.lock_studio_id == run.studio_id
    assert run.name.startswith("Schedule of the whole studio, ")


def test_two_requests_at_once_yield_one_run(session_factory, settings):
    barrier = threading.Barrier(2)
    answers, errors = [], []

    def ask() -> None:
        try:
            barrier.wait()
            with session_factory() as dbsession, dbsession.begin():
                run, created = request_run(dbsession, None, settings=settings)
                answers.append((run.id, created))
                time.sleep(0.3)  # hold the transaction so that the two overlap
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(created for _, created in answers) == [False, True]
    assert len({run_id for run_id, _ in answers}) == 1
    assert len(runs(session_factory)) == 1


def test_the_lock_is_released_when_a_run_ends(builder, session_factory, settings):
    builder.project()
    builder.commit()
    first = schedule(session_factory, settings)
    assert first.status == RunStatus.SUCCEEDED and first.lock_studio_id is None
    second_id, created = request(session_factory, settings)
    assert created and second_id != first.id


def test_a_run_with_a_stale_heartbeat_is_marked_failed_and_a_new_one_starts(
    session_factory, settings
):
    crashed_id, _ = request(session_factory, settings)
    with session_factory() as dbsession, dbsession.begin():
        dbsession.execute(
            update(ScheduleRun)
            .where(ScheduleRun.id == crashed_id)
            .values(status=RunStatus.RUNNING, heartbeat_at=utcnow() - timedelta(seconds=301))
        )

    new_id, created = request(session_factory, settings)

    assert created and new_id != crashed_id
    crashed, new = runs(session_factory)
    assert crashed.status == RunStatus.FAILED and crashed.lock_studio_id is None
    assert crashed.error.startswith("The run stopped answering (no heartbeat for over 300 s)")
    assert new.status == RunStatus.QUEUED


def test_a_recent_heartbeat_keeps_the_lock(session_factory, settings):
    run_id, _ = request(session_factory, settings)
    with session_factory() as dbsession, dbsession.begin():
        studio_id = dbsession.scalar(select(Studio.id))
        assert recover_stale_runs(dbsession, studio_id, 300) == 0
        assert active_run(dbsession).id == run_id


def test_a_run_that_is_no_longer_queued_is_left_alone(session_factory, settings):
    run_id, _ = request(session_factory, settings)
    execute_run(session_factory, run_id, settings)
    again = execute_run(session_factory, run_id, settings)
    assert again.status == RunStatus.SUCCEEDED
    assert len(runs(session_factory)) == 1


def test_a_run_that_lost_its_lock_writes_nothing(builder, session_factory, settings):
    ann = builder.user("Ann")
    project = builder.project()
    task = builder.task("Task", project=project, hours=9, resources=[ann])
    builder.commit()
    run_id, _ = request(session_factory, settings)
    worker = threading.Thread(target=execute_run, args=(session_factory, run_id, settings))
    worker.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with session_factory() as dbsession, dbsession.begin():
            run = dbsession.get(ScheduleRun, run_id)
            if run.tj3_pid:
                # Another request judges the run stale (a limit of 0 s) while tj3 works.
                assert recover_stale_runs(dbsession, run.studio_id, 0) == 1
                break
        time.sleep(0.005)
    worker.join()

    (run,) = runs(session_factory)
    assert run.status == RunStatus.FAILED and run.error.startswith("The run stopped answering")
    assert computed(session_factory, task, project) == [(None, None)] * 2


def test_unknown_or_no_projects_are_refused(builder, session_factory, settings):
    project = builder.project()
    builder.commit()
    with pytest.raises(ValidationError, match=f"no project with id {project.id + 1}"):
        request(session_factory, settings, [project.id, project.id + 1])
    with pytest.raises(ValidationError, match="Choose at least one project"):
        request(session_factory, settings, [])
    run_id, created = request(session_factory, settings, [project.id, project.id])
    (run,) = runs(session_factory)
    assert created and run.project_ids == [project.id] and not run.is_whole_studio
    assert run.name.startswith("Schedule of 1 project, ")
