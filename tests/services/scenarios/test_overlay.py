"""A scenario laid over a snapshot (pure: no database): each kind of override, a left-out
subtree, temporary people with negative ids and their contract windows, and the fingerprint."""

from dataclasses import replace

from stalker_web.models.schedule import (
    DependencyTarget,
    ScheduleConstraint,
    ScheduleModel,
    TimeUnit,
)
from stalker_web.services.scenarios.fingerprint import snapshot_fingerprint
from stalker_web.services.scenarios.overlay import (
    ChangeData,
    PersonData,
    ScenarioOverlay,
    apply_scenario,
)
from stalker_web.services.scheduling.checks import check_studio
from stalker_web.services.scheduling.messages import Names, parse_tj3_output
from stalker_web.services.scheduling.resource_ids import parse_resource_tj_id, resource_tj_id
from stalker_web.services.scheduling.snapshot import DependencyRow, TimeLogRow, UserRow
from stalker_web.services.scheduling.tjp import render_tjp

from ..scheduling.conftest import NOW, at
from .conftest import snapshot_of, task_row


def no_change(task_id: int, **values) -> ChangeData:
    fields = {
        "left_out": False,
        "priority": None,
        "schedule_timing": None,
        "schedule_unit": None,
        "pins_changed": False,
        "schedule_constraint": None,
        "start": None,
        "end": None,
        "resource_ids": None,
        "person_ids": None,
    }
    return ChangeData(task_id=task_id, **(fields | values))


def fred(**values) -> PersonData:
    fields = {
        "id": 3,
        "name": "Fred",
        "department_id": None,
        "efficiency": 0.5,
        "rate": 40.0,
        "available_from": at(10, 0),
        "available_until": None,
    }
    return PersonData(**(fields | values))


def dependency(task_id: int, on: int) -> DependencyRow:
    return DependencyRow(
        task_id, on, DependencyTarget.ONEND, 0.0, TimeUnit.HOUR, ScheduleModel.LENGTH, 1,
        f"Task {on}", None, None,
    )  # fmt: skip


ANN = UserRow(1, "Ann", 1.0, True)


def test_temporary_people_become_users_with_negative_ids_and_their_window():
    snapshot = snapshot_of([task_row(1)], users={1: ANN})

    scenario = apply_scenario(snapshot, ScenarioOverlay(7, people=(fred(),)))

    assert scenario.users == {
        1: ANN,
        -3: UserRow(-3, "Fred", 0.5, True, available_from=at(10, 0), available_until=None),
    }
    assert snapshot.users == {1: ANN}  # the live snapshot is left as it was


def test_priority_timing_and_pins_replace_the_live_values_and_keep_the_model():
    task = task_row(1, schedule_model=ScheduleModel.LENGTH, priority=500)
    pinned = task_row(2, schedule_constraint=ScheduleConstraint.START, start=at(9))
    snapshot = snapshot_of([task, pinned])
    changes = (
        no_change(1, priority=900, schedule_timing=2.0, schedule_unit=TimeUnit.DAY),
        no_change(2, pins_changed=True, schedule_constraint=ScheduleConstraint.END, end=at(12)),
    )

    changed, unpinned = apply_scenario(snapshot, ScenarioOverlay(7, changes=changes)).tasks

    assert changed == replace(task, priority=900, schedule_timing=2.0, schedule_unit=TimeUnit.DAY)
    assert changed.schedule_model is ScheduleModel.LENGTH
    assert unpinned == replace(
        pinned, schedule_constraint=ScheduleConstraint.END, start=None, end=at(12)
    )


def test_a_change_without_a_value_leaves_that_part_as_it_is_live():
    task = task_row(1, priority=700)
    snapshot = snapshot_of([task], resources={1: [1]}, users={1: ANN})

    scenario = apply_scenario(snapshot, ScenarioOverlay(7, changes=(no_change(1),)))

    assert scenario.tasks == [task]
    assert scenario.resources == {1: [1]}


def test_resources_are_replaced_by_users_and_people_and_alternatives_stay():
    bob = UserRow(2, "Bob", 1.0, True)
    snapshot = snapshot_of(
        [task_row(1), task_row(2)],
        users={1: ANN, 2: bob},
        resources={1: [1], 2: [1]},
        alternatives={1: [2]},
    )
    changes = (no_change(1, resource_ids=(2,), person_ids=(3, 99)),)

    scenario = apply_scenario(snapshot, ScenarioOverlay(7, people=(fred(),), changes=changes))

    # Person 99 is not the scenario's: left out rather than planned as nobody.
    assert scenario.resources == {1: [2, -3], 2: [1]}
    assert scenario.alternatives == {1: [2]}


def test_a_left_out_task_goes_with_its_subtree_dependencies_people_and_logs():
    hero = task_row(1, name="Hero")
    model = task_row(2, hero)
    rig = task_row(3, hero)
    layout = task_row(4)
    anim = task_row(5)  # waits for Rig and Layout
    shot = task_row(6, name="Shot")
    comp = task_row(7, shot)  # Shot's only child: Shot goes with it
    log = TimeLogRow(1, 2, 1, at(5), at(5, 12))
    kept_log = TimeLogRow(2, 4, 1, at(5), at(5, 12))
    snapshot = snapshot_of(
        [hero, model, rig, layout, anim, shot, comp],
        users={1: ANN},
        dependencies=[dependency(5, 3), dependency(5, 4), dependency(2, 4)],
        resources={2: [1], 3: [1], 4: [1], 7: [1]},
        alternatives={3: [1]},
        time_logs=[log, kept_log],
    )
    changes = (no_change(1, left_out=True), no_change(7, left_out=True))

    scenario = apply_scenario(snapshot, ScenarioOverlay(7, changes=changes))

    assert [task.id for task in scenario.tasks] == [4, 5]
    assert scenario.dependencies == [dependency(5, 4)]
    assert scenario.resources == {4: [1]}
    assert scenario.alternatives == {}
    assert scenario.time_logs == [kept_log]


def test_a_container_keeps_its_children_that_are_not_left_out():
    hero = task_row(1)
    model, rig = task_row(2, hero), task_row(3, hero)

    scenario = apply_scenario(
        snapshot_of([hero, model, rig]), ScenarioOverlay(7, changes=(no_change(3, left_out=True),))
    )

    assert [task.id for task in scenario.tasks] == [1, 2]


def test_a_temporary_person_is_planned_as_temp_inside_the_contract_window():
    snapshot = snapshot_of([task_row(1)], users={1: ANN})
    overlay = ScenarioOverlay(
        7,
        people=(fred(available_until=at(19, 18)),),
        changes=(no_change(1, resource_ids=(), person_ids=(3,)),),
    )

    checked = check_studio(apply_scenario(snapshot, overlay), NOW, horizon_days=30)
    tjp = render_tjp(checked)

    assert checked.ok, checked.messages
    [temp] = [resource for resource in checked.resources if resource.id == -3]
    assert [(leave.kind, leave.name, leave.start, leave.end) for leave in temp.leaves] == [
        ("unemployed", "not under contract yet", NOW, at(10, 0)),
        ("unemployed", "not under contract any more", at(19, 18), checked.window_end),
    ]
    assert "resource Temp_3 " in tjp
    assert "allocate Temp_3" in tjp
    assert "User_-3" not in tjp


def test_resource_ids_are_written_and_read_back_in_one_place():
    assert [resource_tj_id(4), resource_tj_id(-4)] == ["User_4", "Temp_4"]
    assert [parse_resource_tj_id(text) for text in ("User_4", " Temp_4", "nobody")] == [
        4,
        -4,
        None,
    ]


def test_tj3_messages_name_a_temporary_person_by_name():
    names = Names(tasks={5: "Rig"}, users={-3: "Fred", 1: "Ann"})

    [message] = parse_tj3_output(
        "studio.tjp:40: Warning: Persistence broken for Task Studio.Project_1.Task_5 - "
        "resource Temp_3 is gone\n",
        names,
    )

    assert message.user_ids == [-3]
    assert message.readable == (
        "Rig (task 5) lost Fred (temporary person) part way (a vacation or another task); "
        "someone else continues it."
    )


def test_the_fingerprint_follows_the_inputs_only():
    snapshot = snapshot_of(
        [task_row(1), task_row(2)], users={1: ANN}, dependencies=[dependency(2, 1)]
    )
    fingerprint = snapshot_fingerprint(snapshot)

    computed = replace(
        snapshot.dependencies[0], depends_on_computed_start=at(8), depends_on_computed_end=at(9)
    )
    assert snapshot_fingerprint(replace(snapshot, dependencies=[computed])) == fingerprint
    assert len(fingerprint) == 64
    longer = replace(snapshot.tasks[1], schedule_timing=18.0)
    assert snapshot_fingerprint(replace(snapshot, tasks=[snapshot.tasks[0], longer])) != fingerprint
    windowed = {1: replace(ANN, available_until=at(12))}
    assert snapshot_fingerprint(replace(snapshot, users=windowed)) != fingerprint
