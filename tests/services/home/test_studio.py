"""The studio's state on an admin's home page."""

from datetime import timedelta

from stalker_web.models import RunPhase, RunStatus, ScheduleRun
from stalker_web.services.home.studio import studio_state

from ..health.conftest import NOW


def test_people_runs_and_failed_sign_ins(factory, dbsession):
    before = studio_state(dbsession, NOW)
    factory.user().is_active = False
    factory.user()
    factory.log_entry("nobody", "failed", date=NOW - timedelta(hours=2))
    factory.log_entry("nobody", "locked", date=NOW - timedelta(hours=3))
    factory.log_entry("nobody", "failed", date=NOW - timedelta(days=2))
    waiting = ScheduleRun(name="Waiting", studio=factory.studio(), status=RunStatus.QUEUED)
    dbsession.add(waiting)
    dbsession.flush()

    state = studio_state(dbsession, NOW)

    assert state.active_users == before.active_users + 1
    assert state.inactive_users == before.inactive_users + 1
    assert state.failed_sign_ins == before.failed_sign_ins + 2
    assert state.last_run == waiting and state.last_run_result == "queued"
    assert state.runs_in_progress == 1 and state.oldest_queued == waiting.date_created


def test_a_scenario_run_is_not_the_studio_s_last_run(factory, dbsession):
    done = ScheduleRun(
        name="Live", studio=factory.studio(), status=RunStatus.SUCCEEDED, phase=RunPhase.DONE
    )
    dbsession.add(done)
    dbsession.flush()
    assert studio_state(dbsession, NOW).last_run == done
