"""Promoting a scenario: exactly its changes reach the live tasks, in one savepoint (a live edit
since, a bad account or a running schedule change nothing), accounts for its temporary people,
the replaced plan kept as a baseline with its reason, and a live run queued; with the real tj3,
the live run then gives the dates the scenario's run gave."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from stalker_web.db import set_current_user
from stalker_web.models import (
    RunStatus,
    Scenario,
    ScenarioState,
    ScheduleBaseline,
    ScheduleRun,
    Status,
    Task,
    User,
)
from stalker_web.models.task import task_computed_resources, task_resources
from stalker_web.services.errors import ValidationError
from stalker_web.services.scenarios.editing import (
    add_person,
    clear_task_change,
    create_scenario,
    set_task_change,
)
from stalker_web.services.scenarios.promote import promote_scenario
from stalker_web.services.scheduling.runs import execute_run, request_run
from stalker_web.services.scheduling.settings import SchedulingSettings
from stalker_web.services.tasks.edit import update_task
from stalker_web.services.workflow.actions import set_status

from ..scheduling.conftest import ADMIN_LOGIN, NOW, computed, schedule
from .test_scenario_runs import results, schedule_scenario

PLAN_FIELDS = (
    "priority",
    "schedule_timing",
    "schedule_unit",
    "schedule_constraint",
    "start",
    "end",
)


def at(day: int, hour: int = 9) -> datetime:
    """A moment of March 2026 (UTC); Monday is the 2nd."""
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def live_plan(dbsession) -> dict[int, dict]:
    """Every live task's schedule fields, resources and status, read afresh."""
    dbsession.flush()
    people: dict[int, list[int]] = {}
    for task_id, user_id in dbsession.execute(
        select(task_resources.c.task_id, task_resources.c.user_id).order_by(
            task_resources.c.user_id
        )
    ):
        people.setdefault(task_id, []).append(user_id)
    rows = dbsession.execute(
        select(Task.id, *(getattr(Task, name) for name in PLAN_FIELDS), Status.code).join(
            Status, Status.id == Task.status_id
        )
    )
    return {
        row[0]: dict(zip(PLAN_FIELDS, row[1:-1], strict=True))
        | {"resources": people.get(row[0], []), "status": row[-1]}
        for row in rows
    }


def differences(before: dict, after: dict) -> dict[int, dict]:
    """task id → {field: (before, after)} for the fields that differ."""
    assert before.keys() == after.keys()
    return {
        task_id: changed
        for task_id in before
        if (
            changed := {
                key: (before[task_id][key], after[task_id][key])
                for key in before[task_id]
                if before[task_id][key] != after[task_id][key]
            }
        )
    }


@pytest.fixture
def settings(tmp_path):
    return SchedulingSettings(work_directory=tmp_path, baselines_kept=5)


@pytest.fixture
def studio(dbsession, factory):
    """Film: Assets (Model, Rig), Light, Layout and the Delivery milestone, scheduled; a
    scenario gives Rig to Bob and Jo (a freelancer in Animation), cuts Model to 3 days, raises
    Light's priority and moves Delivery. Layout is not changed."""
    producer = factory.user(name="Pat Producer")
    ann, bob = factory.user(name="Ann"), factory.user(name="Bob")
    animation = factory.department("Animation", members=[ann])
    film = factory.project(name="Film")
    assets = factory.task(project=film, name="Assets")
    model = factory.task(
        parent=assets, name="Model", schedule_timing=5, schedule_unit="d", resources=[ann]
    )
    rig = factory.task(parent=assets, name="Rig", resources=[ann])
    light = factory.task(project=film, name="Light", resources=[bob])
    layout = factory.task(project=film, name="Layout", resources=[bob])
    delivery = factory.task(project=film, name="Delivery", is_milestone=True)
    for task in (assets, model, rig, light, layout, delivery):
        task.computed_start, task.computed_end = at(2), at(6, 18)
    dbsession.flush()

    scenario = create_scenario(dbsession, producer, "Freelancer on Rig")
    jo = add_person(
        dbsession,
        scenario,
        producer,
        name="Jo Freelance",
        department_id=animation.id,
        efficiency=0.9,
        rate=40,
        available_from=at(4, 0),
        available_until=at(30, 0),
    )
    set_task_change(dbsession, scenario, producer, model.id, timing=(3, "d"))
    set_task_change(dbsession, scenario, producer, rig.id, resources=([bob.id], [jo.id]))
    set_task_change(dbsession, scenario, producer, light.id, priority=900)
    set_task_change(
        dbsession, scenario, producer, delivery.id, pins=("start", at(20), None), priority=600
    )
    return {
        "producer": producer,
        "scenario": scenario,
        "jo": jo,
        "ann": ann,
        "bob": bob,
        "animation": animation,
        "film": film,
        "model": model,
        "rig": rig,
        "light": light,
        "layout": layout,
        "delivery": delivery,
    }


def promote(dbsession, studio, settings, **values):
    scenario = studio["scenario"]
    values.setdefault("accounts", {studio["jo"].id: ("jofree", "jo@example.com")})
    values.setdefault("expected_version", scenario.version_id)
    return promote_scenario(dbsession, scenario, studio["producer"], settings=settings, **values)


def refused(call, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_promoting_applies_exactly_the_scenarios_changes(dbsession, studio, settings):
    before = live_plan(dbsession)

    promotion = promote(dbsession, studio, settings)

    (jo,) = promotion.users
    assert differences(before, live_plan(dbsession)) == {
        studio["model"].id: {"schedule_timing": (5.0, 3.0)},
        studio["rig"].id: {
            "resources": (
                [studio["ann"].id],
                sorted([studio["bob"].id, jo.id]),
            )
        },
        studio["light"].id: {"priority": (500, 900)},
        studio["delivery"].id: {
            "priority": (500, 600),
            "schedule_constraint": ("none", "start"),
            "start": (None, at(20)),
        },
    }
    assert promotion.applied == 4


def test_the_temporary_person_becomes_an_account(dbsession, studio, settings):
    promotion = promote(dbsession, studio, settings)

    (jo,) = promotion.users
    assert (jo.name, jo.login, jo.email) == ("Jo Freelance", "jofree", "jo@example.com")
    assert (jo.available_from, jo.available_until) == (at(4, 0), at(30, 0))
    assert (jo.rate, jo.efficiency, jo.must_change_password, jo.is_active) == (
        40.0,
        0.9,
        True,
        True,
    )
    assert [department.name for department in jo.departments] == ["Animation"]
    assert studio["jo"].user_id == jo.id


def test_the_scenario_is_promoted_the_old_plan_kept_and_a_live_run_queued(
    dbsession, studio, settings
):
    scenario = studio["scenario"]

    promotion = promote(dbsession, studio, settings)

    assert scenario.state is ScenarioState.PROMOTED
    assert (scenario.promoted_by_id, scenario.promoted_at is not None) == (
        studio["producer"].id,
        True,
    )
    (baseline,) = dbsession.scalars(
        select(ScheduleBaseline).where(ScheduleBaseline.project_id == studio["film"].id)
    ).all()
    assert baseline.reason == "Plan before promoting scenario 'Freelancer on Rig'"
    assert (baseline.run_id, baseline.requested_by_id, baseline.task_count) == (
        None,
        studio["producer"].id,
        6,
    )
    run = promotion.run
    assert (run.status, run.project_ids, run.scenario_id, promotion.run_created) == (
        RunStatus.QUEUED,
        None,
        None,
        True,
    )
    assert "is read only" in refused(promote, dbsession, studio, settings).message


def nothing_changed(dbsession, studio, before) -> None:
    assert differences(before, live_plan(dbsession)) == {}
    assert studio["scenario"].state is ScenarioState.OPEN
    assert dbsession.scalar(select(func.count()).where(User.login == "jofree")) == 0
    assert dbsession.scalar(select(func.count()).select_from(ScheduleBaseline)) == 0
    assert dbsession.scalar(select(func.count()).where(ScheduleRun.status == RunStatus.QUEUED)) == 0


def test_a_live_edit_since_the_change_refuses_and_changes_nothing(
    dbsession, factory, studio, settings
):
    editor = factory.user(name="Eve Editor")
    light = studio["light"]
    set_current_user(dbsession, editor.id)
    update_task(dbsession, light, submitted_version=light.version_id, schedule_timing=4)
    set_current_user(dbsession, None)
    before = live_plan(dbsession)

    error = refused(promote, dbsession, studio, settings)

    assert f": {light.project.code} / Light (changed by Eve Editor on " in error.message
    assert "Model" not in error.message
    nothing_changed(dbsession, studio, before)


def test_a_stale_scenario_page_refuses(dbsession, studio, settings):
    before = live_plan(dbsession)
    error = refused(promote, dbsession, studio, settings, expected_version=1)
    assert "changed by Pat Producer meanwhile" in error.message
    nothing_changed(dbsession, studio, before)


@pytest.mark.parametrize(
    ("account", "field", "expected"),
    [
        (None, "login_", "Jo Freelance: A login needs at least one letter"),
        (("jofree", "not an address"), "email_", "Jo Freelance: An e-mail address looks like"),
        (("taken", "jo@example.com"), "login_", "Jo Freelance: The login 'taken' is taken"),
    ],
)
def test_a_bad_account_refuses_naming_the_person(
    dbsession, factory, studio, settings, account, field, expected
):
    factory.user(login="taken")
    before = live_plan(dbsession)
    accounts = {} if account is None else {studio["jo"].id: account}

    error = refused(promote, dbsession, studio, settings, accounts=accounts)

    assert error.message.startswith(expected)
    assert error.field == field + str(studio["jo"].id)
    nothing_changed(dbsession, studio, before)


def test_a_running_live_schedule_refuses(dbsession, studio, settings):
    run, _ = request_run(dbsession, None, settings=settings)
    run.status = RunStatus.RUNNING
    dbsession.flush()
    before = live_plan(dbsession)

    error = refused(promote, dbsession, studio, settings)

    assert "being scheduled right now" in error.message
    assert differences(before, live_plan(dbsession)) == {}
    assert studio["scenario"].state is ScenarioState.OPEN


def test_left_out_work_in_progress_is_stopped(dbsession, studio, settings):
    layout = studio["layout"]
    set_status(dbsession, layout, "WIP")
    dbsession.flush()
    set_task_change(dbsession, studio["scenario"], studio["producer"], layout.id, left_out=True)

    promote(dbsession, studio, settings)

    assert layout.status.code == "STOP"


def test_left_out_tasks_the_workflow_cannot_stop_refuse(dbsession, studio, settings):
    scenario, producer = studio["scenario"], studio["producer"]
    clear_task_change(dbsession, scenario, studio["model"].id, producer)
    set_status(dbsession, studio["model"], "WIP")
    dbsession.flush()
    set_task_change(dbsession, scenario, producer, studio["model"].parent_id, left_out=True)
    before = live_plan(dbsession)

    error = refused(promote, dbsession, studio, settings)

    assert "the workflow cannot stop" in error.message
    assert "Assets / Rig (Ready To Start)" in error.message
    assert "Model" not in error.message
    nothing_changed(dbsession, studio, before)


def test_a_task_changed_by_another_session_meanwhile_refuses(
    session_factory, hand_studio, freelancer_scenario
):
    with session_factory() as dbsession:
        scenario = dbsession.get(Scenario, freelancer_scenario.scenario_id)
        rig = dbsession.get(Task, hand_studio.rig_id)
        seen = (scenario.version_id, rig.version_id)
        with session_factory() as other, other.begin():
            other.get(Task, hand_studio.rig_id).priority = 900

        with pytest.raises(ValidationError) as caught:
            promote_scenario(
                dbsession,
                scenario,
                None,
                accounts={freelancer_scenario.fred_id: ("fred", "fred@example.com")},
                expected_version=seen[0],
                settings=SchedulingSettings(),
            )
        dbsession.rollback()

    assert "Rig (changed by " in caught.value.message
    with session_factory() as dbsession:
        rig = dbsession.get(Task, hand_studio.rig_id)
        assert (rig.priority, [user.id for user in rig.resources]) == (900, [hand_studio.ann_id])
        assert dbsession.get(Scenario, freelancer_scenario.scenario_id).state is ScenarioState.OPEN
        assert dbsession.scalar(select(func.count()).where(User.login == "fred")) == 0
        assert dbsession.scalar(select(func.count()).select_from(ScheduleRun)) == 0


# With the real tj3 ---------------------------------------------------------------------------


def test_after_promoting_the_live_run_gives_the_scenarios_dates(
    session_factory, hand_studio, freelancer_scenario
):
    run_settings = SchedulingSettings(heartbeat_seconds=1)
    assert schedule(session_factory, run_settings).status is RunStatus.SUCCEEDED
    scenario_id = freelancer_scenario.scenario_id
    run = schedule_scenario(session_factory, run_settings, scenario_id)
    assert (run.status, run.error) == (RunStatus.SUCCEEDED, "")
    planned = results(session_factory, scenario_id)

    with session_factory() as dbsession, dbsession.begin():
        scenario = dbsession.get(Scenario, scenario_id)
        admin = dbsession.scalars(select(User).where(User.login == ADMIN_LOGIN)).one()
        promotion = promote_scenario(
            dbsession,
            scenario,
            admin,
            accounts={freelancer_scenario.fred_id: ("fred", "fred@example.com")},
            expected_version=scenario.version_id,
            settings=run_settings,
        )
        run_id, (fred,) = promotion.run.id, [user.id for user in promotion.users]
    live_run = execute_run(session_factory, run_id, run_settings, now=NOW)
    assert (live_run.status, live_run.error) == (RunStatus.SUCCEEDED, "")

    task_ids = sorted(planned)
    with session_factory() as dbsession:
        tasks = [dbsession.get(Task, task_id) for task_id in task_ids]
        live_people = {
            task_id: sorted(
                dbsession.scalars(
                    select(task_computed_resources.c.user_id).where(
                        task_computed_resources.c.task_id == task_id
                    )
                )
            )
            for task_id in task_ids
        }
        reasons = dbsession.scalars(select(ScheduleBaseline.reason).order_by(ScheduleBaseline.id))
        assert list(reasons) == ["", "Plan before promoting scenario 'Hire a freelancer'", ""]
    assert computed(session_factory, *tasks) == [planned[i][:2] for i in task_ids]
    expected_people = {
        task_id: sorted(users + [fred for _ in people])
        for task_id, (*_, users, people) in planned.items()
    }
    assert live_people == expected_people
    assert live_people[hand_studio.rig_id] == [fred]
