"""Editing a scenario: names, temporary people and task changes are checked like the live forms
check them, the live task's version is kept once, and a promoted scenario is read only."""

import math
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from stalker_web.models import (
    ScenarioPerson,
    ScenarioState,
    ScenarioTaskChange,
    ScheduleRun,
)
from stalker_web.models.schedule import ScheduleConstraint, TimeUnit
from stalker_web.models.schedule_run import RunStatus
from stalker_web.services.errors import ValidationError
from stalker_web.services.scenarios.editing import (
    UNCHANGED,
    add_person,
    clear_task_change,
    create_scenario,
    discard_scenario,
    remove_person,
    scenario_page_data,
    set_task_change,
    update_person,
    update_scenario,
)
from stalker_web.services.scenarios.runs import request_scenario_run
from stalker_web.services.tasks.edit import update_task

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def producer(factory):
    return factory.user(name="Pat Producer")


@pytest.fixture
def scenario(dbsession, producer):
    return create_scenario(dbsession, producer, "Hire a freelancer")


def refused(call, *args, field=None, **kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    if field is not None:
        assert caught.value.field == field
    return caught.value.message


# The scenario ----------------------------------------------------------------------------------


def test_a_new_scenario_is_open_and_changed_now(dbsession, producer):
    scenario = create_scenario(dbsession, producer, "  Two   more animators ", "Try it")

    assert scenario.name == "Two more animators"
    assert scenario.state is ScenarioState.OPEN
    assert scenario.changed_at is not None
    assert scenario.scheduled_at is None
    assert scenario.created_by_id == producer.id


def test_a_name_is_required_bounded_and_unique_among_open_scenarios(dbsession, producer, scenario):
    assert (
        refused(create_scenario, dbsession, producer, "  ", field="name") == "A name is required."
    )
    assert "at most 256" in refused(create_scenario, dbsession, producer, "x" * 257, field="name")
    message = refused(create_scenario, dbsession, producer, "hire a FREELANCER", field="name")
    assert "already exists" in message

    scenario.state = ScenarioState.PROMOTED
    dbsession.flush()
    assert create_scenario(dbsession, producer, "Hire a freelancer").id != scenario.id


def test_renaming_on_a_stale_page_names_who_changed_it(dbsession, factory, producer, scenario):
    seen = scenario.version_id
    other = factory.user(name="Cora Coordinator")
    add_person(dbsession, scenario, other, name="Jo Freelance")

    message = refused(
        update_scenario,
        dbsession,
        scenario,
        producer,
        name="Renamed",
        description="",
        expected_version=seen,
    )
    assert "changed by Cora Coordinator meanwhile" in message

    update_scenario(
        dbsession,
        scenario,
        producer,
        name="Renamed",
        description=" Why ",
        expected_version=scenario.version_id,
    )
    assert (scenario.name, scenario.description) == ("Renamed", "Why")


def test_discarding_deletes_everything_under_it(dbsession, factory, producer, scenario):
    task = factory.task()
    person = add_person(dbsession, scenario, producer, name="Jo")
    set_task_change(dbsession, scenario, producer, task.id, priority=900)
    scenario_id = scenario.id

    discard_scenario(dbsession, scenario)

    for model in (ScenarioPerson, ScenarioTaskChange):
        count = select(func.count()).where(model.scenario_id == scenario_id)
        assert dbsession.scalar(count) == 0
    assert dbsession.get(ScenarioPerson, person.id) is None


def test_discarding_is_refused_while_a_run_is_active(dbsession, producer, scenario):
    run, created = request_scenario_run(dbsession, scenario, producer)
    assert created

    message = refused(discard_scenario, dbsession, scenario)
    assert "being scheduled right now" in message

    run.status = RunStatus.FAILED
    run.lock_scenario_id = None
    dbsession.flush()
    discard_scenario(dbsession, scenario)
    assert dbsession.scalar(select(func.count()).where(ScheduleRun.id == run.id)) == 0


# Temporary people ------------------------------------------------------------------------------


def test_a_temporary_person_has_a_department_a_rate_and_a_contract_window(
    dbsession, factory, producer, scenario
):
    animation = factory.department("Animation")
    scenario.changed_at = MONDAY

    person = add_person(
        dbsession,
        scenario,
        producer,
        name="Jo Freelance",
        department_id=animation.id,
        efficiency=0.8,
        rate=45,
        available_from=MONDAY,
        available_until=datetime(2026, 4, 30, 18, tzinfo=UTC),
    )

    assert (person.name, person.department_id, person.efficiency, person.rate) == (
        "Jo Freelance",
        animation.id,
        0.8,
        45.0,
    )
    assert scenario.changed_at > MONDAY  # its results are out of date now
    page = scenario_page_data(dbsession, scenario)
    assert [(row.name, row.department_name) for row in page.people] == [
        ("Jo Freelance", "Animation")
    ]


@pytest.mark.parametrize(
    ("values", "field", "expected"),
    [
        ({"name": " "}, "name", "A name is required."),
        ({"rate": -1}, "rate", "Rate cannot be negative."),
        ({"efficiency": -0.5}, "efficiency", "Efficiency cannot be negative."),
        ({"rate": math.nan}, "rate", "Enter a number such as 1 or 0.5."),
        ({"department_id": 10**6}, "department_id", "That department does not exist any more"),
        (
            {"available_from": datetime(2026, 3, 2, 9)},
            "available_from",
            "Give a date and time with its time zone.",
        ),
        (
            {"available_from": MONDAY, "available_until": MONDAY},
            "available_until",
            "The end of the availability must come after its start.",
        ),
    ],
)
def test_a_temporary_person_is_checked_like_a_user(
    dbsession, producer, scenario, values, field, expected
):
    values = {"name": "Jo", **values}
    message = refused(add_person, dbsession, scenario, producer, field=field, **values)
    assert message.startswith(expected)
    assert scenario.people == []


def test_editing_a_person_replaces_their_values(dbsession, producer, scenario):
    person = add_person(dbsession, scenario, producer, name="Jo", rate=30)

    update_person(dbsession, scenario, person.id, producer, name="Jo Lee", rate=50, efficiency=2)

    assert (person.name, person.rate, person.efficiency) == ("Jo Lee", 50.0, 2.0)
    message = refused(update_person, dbsession, scenario, 10**6, producer, name="X")
    assert "not in this scenario" in message


def test_removing_a_person_takes_them_off_every_task(dbsession, factory, producer, scenario):
    ann = factory.user(name="Ann")
    first, second = factory.task(), factory.task()
    jo = add_person(dbsession, scenario, producer, name="Jo")
    kim = add_person(dbsession, scenario, producer, name="Kim")
    set_task_change(dbsession, scenario, producer, first.id, resources=([ann.id], [jo.id, kim.id]))
    set_task_change(dbsession, scenario, producer, second.id, resources=([], [jo.id]))

    remove_person(dbsession, scenario, jo.id, producer)

    changes = {change.task_id: change for change in scenario.changes}
    assert (changes[first.id].resource_ids, changes[first.id].person_ids) == ([ann.id], [kim.id])
    assert changes[second.id].person_ids == []
    dbsession.expire_all()
    stored = dbsession.scalars(
        select(ScenarioTaskChange.person_ids).order_by(ScenarioTaskChange.task_id)
    ).all()
    assert stored == [[kim.id], []]
    assert [person.name for person in scenario.people] == ["Kim"]


# Task changes ----------------------------------------------------------------------------------


def test_a_change_keeps_the_live_version_it_was_first_made_on(dbsession, factory, producer):
    scenario = create_scenario(dbsession, producer, "Versions")
    task = factory.task(schedule_timing=5, schedule_unit="d")
    first_version = task.version_id

    change = set_task_change(dbsession, scenario, producer, task.id, priority=800)
    scenario.changed_at = MONDAY
    update_task(dbsession, task, submitted_version=task.version_id, priority=300)
    assert task.version_id != first_version
    again = set_task_change(dbsession, scenario, producer, task.id, timing=(3, "d"))

    assert again is change
    assert scenario.changed_at > MONDAY
    assert change.base_version_id == first_version
    assert (change.priority, change.schedule_timing, change.schedule_unit) == (
        800,
        3.0,
        TimeUnit.DAY,
    )


def test_each_part_can_go_back_to_the_live_value(dbsession, factory, producer, scenario):
    ann = factory.user()
    task = factory.task()
    change = set_task_change(
        dbsession,
        scenario,
        producer,
        task.id,
        priority=10,
        timing=(2, "h"),
        pins=("start", MONDAY, None),
        resources=([ann.id], []),
        left_out=True,
    )

    set_task_change(
        dbsession,
        scenario,
        producer,
        task.id,
        priority=None,
        timing=None,
        pins=None,
        resources=None,
        left_out=False,
    )

    assert (change.priority, change.schedule_timing, change.schedule_unit) == (None, None, None)
    assert (change.pins_changed, change.schedule_constraint, change.start) == (False, None, None)
    assert (change.resource_ids, change.person_ids, change.left_out) == (None, None, False)
    assert UNCHANGED is not None


@pytest.mark.parametrize(
    ("parts", "field", "expected"),
    [
        ({"priority": 1001}, "priority", "The priority is a whole number from 0 to 1000."),
        ({"priority": 2.5}, "priority", "The priority is a whole number from 0 to 1000."),
        ({"timing": (-1, "h")}, "schedule_timing", "The schedule timing must be a number"),
        ({"timing": (2, "fortnight")}, "schedule_unit", "The schedule unit must be one of"),
        ({"pins": ("sometimes", None, None)}, "schedule_constraint", "The schedule constraint"),
        ({"pins": ("start", None, None)}, "start", "Give the start date to pin it."),
        ({"pins": ("both", MONDAY, None)}, "end", "Give the end date to pin it."),
        (
            {"pins": ("start", datetime(2026, 3, 2, 9), None)},
            "start",
            "Give a date and time with its time zone.",
        ),
        (
            {"pins": ("both", MONDAY, datetime(2026, 3, 1, tzinfo=UTC))},
            "end",
            "The end cannot come before the start.",
        ),
        ({"resources": ([10**6], [])}, "resources", "One of the chosen people does not exist"),
        ({"resources": ([], [10**6])}, "resources", "One of the chosen temporary people"),
    ],
)
def test_a_change_is_checked_like_the_live_task_form(
    dbsession, factory, producer, scenario, parts, field, expected
):
    task = factory.task()
    message = refused(set_task_change, dbsession, scenario, producer, task.id, field=field, **parts)
    assert message.startswith(expected)
    assert scenario.changes == []


def test_timing_and_people_go_on_leaf_tasks_only(dbsession, factory, producer, scenario):
    parent = factory.task(name="Hero")
    factory.task(parent=parent)
    ann = factory.user()

    assert "has child tasks" in refused(
        set_task_change, dbsession, scenario, producer, parent.id, timing=(2, "d")
    )
    assert "has child tasks" in refused(
        set_task_change, dbsession, scenario, producer, parent.id, resources=([ann.id], [])
    )
    change = set_task_change(dbsession, scenario, producer, parent.id, priority=700)
    assert change.priority == 700


def test_a_milestone_gets_no_people_and_the_people_must_be_active(
    dbsession, factory, producer, scenario
):
    milestone = factory.task(is_milestone=True)
    ann = factory.user(name="Ann Gone")
    ann.is_active = False
    task = factory.task()

    assert "A milestone has no resources" in refused(
        set_task_change, dbsession, scenario, producer, milestone.id, resources=([], [1])
    )
    assert "Ann Gone is deactivated" in refused(
        set_task_change, dbsession, scenario, producer, task.id, resources=([ann.id], [])
    )


def test_people_of_another_scenario_are_refused(dbsession, factory, producer, scenario):
    other = create_scenario(dbsession, producer, "Other")
    stranger = add_person(dbsession, other, producer, name="Stranger")
    task = factory.task()

    message = refused(
        set_task_change, dbsession, scenario, producer, task.id, resources=([], [stranger.id])
    )
    assert "not in this scenario" in message


def test_an_unknown_task_is_refused(dbsession, producer, scenario):
    assert "does not exist any more" in refused(
        set_task_change, dbsession, scenario, producer, 10**6, priority=1
    )


def test_clearing_a_change_follows_the_live_plan_again(dbsession, factory, producer, scenario):
    task = factory.task()
    set_task_change(dbsession, scenario, producer, task.id, left_out=True)

    clear_task_change(dbsession, scenario, task.id, producer)

    assert scenario.changes == []
    assert "does not change that task" in refused(
        clear_task_change, dbsession, scenario, task.id, producer
    )


def test_the_page_shows_live_values_beside_the_scenarios(dbsession, factory, producer, scenario):
    ann, bob = factory.user(name="Ann"), factory.user(name="Bob")
    project = factory.project(name="Film")
    hero = factory.task(project=project, name="Hero")
    model = factory.task(
        parent=hero, name="Model", schedule_timing=5, schedule_unit="d", resources=[ann]
    )
    jo = add_person(dbsession, scenario, producer, name="Jo Freelance")
    set_task_change(
        dbsession,
        scenario,
        producer,
        model.id,
        timing=(3, "d"),
        resources=([bob.id], [jo.id]),
        pins=(ScheduleConstraint.START, MONDAY, None),
    )

    page = scenario_page_data(dbsession, scenario)

    (row,) = page.changes
    assert (row.task_name, row.path_names, row.left_out, row.live_moved) == (
        "Model",
        ["Hero"],
        False,
        False,
    )
    assert [(line.label, line.live, line.scenario) for line in row.lines] == [
        ("Effort", "5 d", "3 d"),
        ("Pinned dates", "no pinned dates", "start pinned, 2026-03-02 09:00 UTC"),
        ("People", "Ann", "Bob, Jo Freelance"),
    ]
    assert page.never_scheduled and not page.out_of_date
    assert page.latest_run is None


def test_the_page_takes_the_same_queries_for_ten_times_the_changes(
    dbsession, factory, producer, count_queries
):
    def measure(size: int) -> int:
        scenario = create_scenario(dbsession, producer, f"Size {size}")
        department = factory.department()
        users = [factory.user() for _ in range(2)]
        for index in range(size):
            add_person(dbsession, scenario, producer, name=f"P{index}", department_id=department.id)
            parent = factory.task()
            task = factory.task(parent=parent, resources=users)
            set_task_change(
                dbsession,
                scenario,
                producer,
                task.id,
                priority=index,
                resources=([users[0].id], [scenario.people[-1].id]),
            )
        dbsession.flush()
        dbsession.expire_all()
        with count_queries() as counter:
            scenario_page_data(dbsession, scenario)
        return counter.count

    assert measure(2) == measure(20)


# A promoted scenario ---------------------------------------------------------------------------


def test_a_promoted_scenario_is_read_only(dbsession, factory, producer, scenario):
    task = factory.task()
    person = add_person(dbsession, scenario, producer, name="Jo")
    set_task_change(dbsession, scenario, producer, task.id, priority=1)
    scenario.state = ScenarioState.PROMOTED
    scenario.promoted_at = MONDAY
    dbsession.flush()

    edits = [
        lambda: update_scenario(
            dbsession,
            scenario,
            producer,
            name="X",
            description="",
            expected_version=scenario.version_id,
        ),
        lambda: add_person(dbsession, scenario, producer, name="Kim"),
        lambda: update_person(dbsession, scenario, person.id, producer, name="Jo Lee"),
        lambda: remove_person(dbsession, scenario, person.id, producer),
        lambda: set_task_change(dbsession, scenario, producer, task.id, priority=2),
        lambda: clear_task_change(dbsession, scenario, task.id, producer),
    ]
    for edit in edits:
        assert refused(edit) == (
            "This scenario was promoted on 2026-03-02 09:00 UTC and is read only."
        )
    assert [change.priority for change in scenario.changes] == [1]
    assert [p.name for p in scenario.people] == ["Jo"]
