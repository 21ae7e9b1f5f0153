"""Scheduling a what-if scenario with the real tj3: its results, the live plan left alone, its
lock, a failed run keeping the previous results, and live and scenario runs at once.

The hand-computable studio and the freelancer scenario are in conftest.py: Ann alone does Model
(27 h) then Rig (27 h); the milestone Delivery waits for both. Fred (from Wednesday the 10th)
takes Rig in the scenario.
"""

import threading
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from stalker_web.models import (
    RunStatus,
    Scenario,
    ScenarioPerson,
    ScenarioState,
    ScenarioTaskResult,
    ScheduleRun,
    Task,
)
from stalker_web.services.errors import ValidationError
from stalker_web.services.scenarios.fingerprint import live_fingerprint
from stalker_web.services.scenarios.runs import (
    latest_scenario_run,
    request_scenario_run,
    scenario_run_input,
)
from stalker_web.services.scheduling.history import run_history
from stalker_web.services.scheduling.runs import active_run, execute_run, request_run

from ...conftest import QueryCounter
from ..scheduling.conftest import NOW, computed, computed_resources, schedule
from .conftest import add_scenario, at, change


def schedule_scenario(session_factory, settings, scenario_id: int, now=NOW) -> ScheduleRun:
    """Request a run of the scenario and carry it out at ``now``; the run as it ended."""
    with session_factory() as dbsession, dbsession.begin():
        scenario = dbsession.get(Scenario, scenario_id)
        run, created = request_scenario_run(dbsession, scenario, None, settings=settings)
        assert created, f"run {run.id} was already active"
        run_id = run.id
    return execute_run(session_factory, run_id, settings, now=now)


def results(session_factory, scenario_id: int) -> dict[int, tuple]:
    """task id → (start, end, user ids, person ids) of the scenario's results."""
    with session_factory() as dbsession:
        rows = dbsession.scalars(
            select(ScenarioTaskResult).where(ScenarioTaskResult.scenario_id == scenario_id)
        )
        return {
            row.task_id: (row.computed_start, row.computed_end, row.resource_ids, row.person_ids)
            for row in rows
        }


def test_a_freelancer_moves_the_milestone_earlier_and_the_live_plan_stays(
    session_factory, settings, hand_studio, freelancer_scenario
):
    studio = hand_studio
    live_run = schedule(session_factory, settings)
    assert (live_run.status, live_run.error) == (RunStatus.SUCCEEDED, "")
    live_dates = computed(session_factory, *_tasks(session_factory, studio))
    # Ann does Model Monday-Wednesday and Rig Thursday, Friday and Monday the 15th.
    assert live_dates == [
        (at(8, 9), at(10, 18)),
        (at(11, 9), at(15, 18)),
        (at(15, 18), at(15, 18)),
    ]

    run = schedule_scenario(session_factory, settings, freelancer_scenario.scenario_id)

    assert (run.status, run.error) == (RunStatus.SUCCEEDED, "")
    assert run.task_count == 3
    assert run.scenario_id == freelancer_scenario.scenario_id
    fred = -freelancer_scenario.fred_id
    # Fred does Rig from Wednesday (his first day) to Friday; Delivery waits for both tasks and
    # moves from Monday the 15th 18:00 to Friday the 12th 18:00: one working day (9 h) earlier.
    assert results(session_factory, freelancer_scenario.scenario_id) == {
        studio.model_id: (at(8, 9), at(10, 18), [studio.ann_id], []),
        studio.rig_id: (at(10, 9), at(12, 18), [], [-fred]),
        studio.delivery_id: (at(12, 18), at(12, 18), [], []),
    }
    # The live plan is exactly as before: dates and people.
    assert computed(session_factory, *_tasks(session_factory, studio)) == live_dates
    with session_factory() as dbsession:
        rig = dbsession.get(Task, studio.rig_id)
        assert [user.name for user in rig.computed_resources] == ["Ann"]
        scenario = dbsession.get(Scenario, freelancer_scenario.scenario_id)
        assert scenario.results_now == NOW
        assert scenario.results_fingerprint == live_fingerprint(dbsession, scenario.studio)
        assert scenario.scheduled_at is not None
        assert latest_scenario_run(dbsession, scenario).id == run.id
        # The scenario's run is not in the live plan's history.
        assert [row.run.id for row in run_history(dbsession, 1).items] == [live_run.id]


def _tasks(session_factory, studio) -> list[Task]:
    """Model, Rig and Delivery, detached."""
    with session_factory() as dbsession:
        tasks = [
            dbsession.get(Task, task_id)
            for task_id in (studio.model_id, studio.rig_id, studio.delivery_id)
        ]
        for task in tasks:
            dbsession.expunge(task)
        return tasks


def test_a_left_out_task_frees_its_people_and_its_dependants(
    session_factory, settings, hand_studio
):
    studio = hand_studio
    with session_factory() as dbsession, dbsession.begin():
        scenario = add_scenario(dbsession, "Without the model")
        change(dbsession, scenario, studio.model_id, left_out=True)
        scenario_id = scenario.id

    run = schedule_scenario(session_factory, settings, scenario_id)

    assert (run.status, run.error) == (RunStatus.SUCCEEDED, "")
    # Ann starts Rig now; Delivery waits for Rig only.
    assert results(session_factory, scenario_id) == {
        studio.rig_id: (at(8, 9), at(10, 18), [studio.ann_id], []),
        studio.delivery_id: (at(10, 18), at(10, 18), [], []),
    }


def test_two_requests_make_one_scenario_run_and_a_live_run_is_not_blocked(
    session_factory, settings, freelancer_scenario
):
    with session_factory() as dbsession, dbsession.begin():
        scenario = dbsession.get(Scenario, freelancer_scenario.scenario_id)
        first, created = request_scenario_run(dbsession, scenario, None, settings=settings)
        second, created_again = request_scenario_run(dbsession, scenario, None, settings=settings)
        live, live_created = request_run(dbsession, None, settings=settings)
        other = add_scenario(dbsession, "Another idea")
        third, third_created = request_scenario_run(dbsession, other, None, settings=settings)

        assert (created, created_again, live_created, third_created) == (True, False, True, True)
        assert second.id == first.id
        assert len({first.id, live.id, third.id}) == 3
        assert active_run(dbsession).id == live.id  # the live lock knows no scenario run
        assert (first.lock_scenario_id, first.lock_studio_id) == (scenario.id, None)


def test_live_and_scenario_runs_at_once_both_succeed(
    session_factory, settings, hand_studio, freelancer_scenario
):
    with session_factory() as dbsession, dbsession.begin():
        scenario = dbsession.get(Scenario, freelancer_scenario.scenario_id)
        scenario_run, _ = request_scenario_run(dbsession, scenario, None, settings=settings)
        live_run, _ = request_run(dbsession, None, settings=settings)
        run_ids = [scenario_run.id, live_run.id]
    ended = {}

    def carry_out(run_id):
        ended[run_id] = execute_run(session_factory, run_id, settings, now=NOW)

    threads = [threading.Thread(target=carry_out, args=(run_id,)) for run_id in run_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [(ended[i].status, ended[i].error) for i in run_ids] == [
        (RunStatus.SUCCEEDED, ""),
        (RunStatus.SUCCEEDED, ""),
    ]
    tasks = _tasks(session_factory, hand_studio)
    assert computed(session_factory, tasks[2]) == [(at(15, 18), at(15, 18))]
    assert computed_resources(session_factory, tasks[1]) == ["Ann"]
    scenario_results = results(session_factory, freelancer_scenario.scenario_id)
    assert scenario_results[hand_studio.delivery_id][:2] == (at(12, 18), at(12, 18))


def test_a_failed_scenario_run_keeps_the_previous_results_and_names_the_freelancer(
    session_factory, settings, freelancer_scenario
):
    scenario_id = freelancer_scenario.scenario_id
    assert schedule_scenario(session_factory, settings, scenario_id).status == (RunStatus.SUCCEEDED)
    before = results(session_factory, scenario_id)
    with session_factory() as dbsession, dbsession.begin():
        scheduled_at = dbsession.get(Scenario, scenario_id).scheduled_at
        # Fred's contract now ended before the run's now: nobody can do Rig.
        dbsession.get(ScenarioPerson, freelancer_scenario.fred_id).available_until = at(5, 18)

    run = schedule_scenario(session_factory, settings, scenario_id, now=NOW + timedelta(hours=1))

    assert run.status == RunStatus.FAILED
    assert "Fred (temporary person)" not in run.error  # the checks name people plainly
    assert "Fred is not under contract any more" in run.error
    assert results(session_factory, scenario_id) == before
    with session_factory() as dbsession:
        scenario = dbsession.get(Scenario, scenario_id)
        assert (scenario.scheduled_at, scenario.results_now) == (scheduled_at, NOW)


def test_a_stale_scenario_run_is_marked_failed_by_the_next_request(
    session_factory, settings, freelancer_scenario
):
    with session_factory() as dbsession, dbsession.begin():
        scenario = dbsession.get(Scenario, freelancer_scenario.scenario_id)
        crashed, _ = request_scenario_run(dbsession, scenario, None, settings=settings)
        dbsession.execute(
            update(ScheduleRun.__table__)
            .where(ScheduleRun.__table__.c.id == crashed.id)
            .values(heartbeat_at=NOW - timedelta(days=1))
        )
        crashed_id = crashed.id

    with session_factory() as dbsession, dbsession.begin():
        scenario = dbsession.get(Scenario, freelancer_scenario.scenario_id)
        run, created = request_scenario_run(dbsession, scenario, None, settings=settings)
        assert created and run.id != crashed_id
        stale = dbsession.get(ScheduleRun, crashed_id)
        assert (stale.status, stale.lock_scenario_id) == (RunStatus.FAILED, None)


def test_a_promoted_scenario_is_not_scheduled_again(session_factory, settings):
    with session_factory() as dbsession, dbsession.begin():
        scenario = add_scenario(dbsession)
        scenario.state = ScenarioState.PROMOTED
        scenario.promoted_at = NOW
        with pytest.raises(ValidationError, match="promoted on 2024-01-08 09:00 UTC"):
            request_scenario_run(dbsession, scenario, None, settings=settings)


def test_reading_a_scenario_takes_the_same_statements_whatever_its_size(
    session_factory, scheduling_engine, builder, hand_studio, freelancer_scenario
):
    def statements(scenario_id: int) -> int:
        with session_factory() as dbsession:
            studio = dbsession.get(Scenario, scenario_id).studio
            with QueryCounter(scheduling_engine) as counter:
                scenario_run_input(dbsession, SimpleNamespace(scenario_id=scenario_id), studio, NOW)
            return counter.count

    small = statements(freelancer_scenario.scenario_id)
    film = builder.project("Big")
    tasks = [builder.task(f"Shot {number}", project=film, hours=9) for number in range(10)]
    builder.commit()
    with session_factory() as dbsession, dbsession.begin():
        scenario = add_scenario(dbsession, "Ten freelancers")
        people = [ScenarioPerson(scenario=scenario, name=f"Temp {n}") for n in range(10)]
        dbsession.add_all(people)
        dbsession.flush()
        for task, person in zip(tasks, people, strict=True):
            change(dbsession, scenario, task.id, resource_ids=[], person_ids=[person.id])
        big_id = scenario.id

    assert statements(big_id) == small
