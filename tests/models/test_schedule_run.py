"""ScheduleRun: its defaults, the one-active-run lock column, and what it sums up."""

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, StatementError

from stalker_web.models import RunPhase, RunStatus, ScheduleRun, User

from ..factories.accounts import cheap_users


def make_run(factory, **values):
    run = ScheduleRun(name="A run", studio=factory.studio(), **values)
    factory.dbsession.add(run)
    factory.dbsession.flush()
    return run


def test_a_new_run_is_queued_for_the_whole_studio(factory):
    run = make_run(factory)
    assert (run.status, run.phase) == (RunStatus.QUEUED, RunPhase.QUEUED)
    assert run.is_active and run.is_whole_studio
    assert (run.messages, run.error, run.task_count) == ([], "", 0)
    assert run.phase_seconds == {"render": None, "tj3": None, "parse": None, "write": None}


def test_only_one_run_of_a_studio_can_hold_the_lock(dbsession, factory):
    studio = factory.studio()
    make_run(factory, lock_studio_id=studio.id)
    make_run(factory, status=RunStatus.SUCCEEDED)  # finished runs hold nothing
    make_run(factory, status=RunStatus.FAILED)
    with pytest.raises(IntegrityError), dbsession.begin_nested():
        make_run(factory, lock_studio_id=studio.id)


def test_errors_warnings_and_phase_seconds(factory):
    run = make_run(
        factory,
        status="failed",
        messages=[
            {"level": "warning", "text": "w"},
            {"level": "error", "text": "e"},
            {"level": "info", "text": "i"},
            {"level": "fatal", "text": "f"},
        ],
        render_seconds=0.5,
        tj3_seconds=2.0,
    )
    assert not run.is_active
    assert [m["text"] for m in run.errors] == ["e", "f"]
    assert [m["text"] for m in run.warnings] == ["w"]
    assert run.phase_seconds == {"render": 0.5, "tj3": 2.0, "parse": None, "write": None}


def test_a_run_outlives_the_user_who_asked_for_it(dbsession, factory):
    (user,) = cheap_users(dbsession, 1)
    run = make_run(factory, requested_by=user, status="succeeded")
    dbsession.execute(delete(User).where(User.id == user.id))
    dbsession.expire_all()
    assert (
        dbsession.scalars(select(ScheduleRun.requested_by_id).where(ScheduleRun.id == run.id)).one()
        is None
    )


def test_an_unknown_status_is_refused(dbsession, factory):
    refused = pytest.raises(StatementError, match="'paused' is not among the defined enum values")
    with refused, dbsession.begin_nested():
        make_run(factory, status="paused")
