"""The checks before tj3 and their adjustments, on the rolled-back test database (no tj3)."""

from datetime import UTC, datetime, timedelta

import pytest

from stalker_web.models import TaskDependency, TimeLog, Vacation
from stalker_web.models.schedule import DependencyTarget
from stalker_web.services.scheduling.checks import check_studio
from stalker_web.services.scheduling.plan import round_to_grid
from stalker_web.services.scheduling.snapshot import read_snapshot
from stalker_web.services.tasks.dependencies import add_dependency
from tests.factories.accounts import cheap_users

from .conftest import NOW, at


@pytest.fixture
def project(factory):
    return factory.project(name="Checked")


@pytest.fixture
def people(dbsession):
    ann, bob = cheap_users(dbsession, 2)
    ann.name, bob.name = "Ann", "Bob"
    return ann, bob


@pytest.fixture
def check(dbsession, factory, project):
    def run(now=NOW, horizon_days=730, project_ids=None):
        snapshot = read_snapshot(dbsession, factory.studio(), project_ids or [project.id], now)
        return check_studio(snapshot, now, horizon_days)

    return run


def log(dbsession, task, user, start, end):
    dbsession.add(TimeLog(task=task, resource=user, start=start, end=end))
    dbsession.flush()


def planned(checked, task):
    return next(t for p in checked.projects for t in p.tasks if t.id == task.id)


def texts(checked, level=None) -> str:
    return " | ".join(m.text for m in checked.messages if level in (None, m.level))


def test_rounding_is_to_the_nearest_step_with_halves_going_up():
    assert round_to_grid(at(8, 9, 29), 60) == at(8, 9)
    assert round_to_grid(at(8, 9, 30), 60) == at(8, 10)
    assert round_to_grid(at(8, 9, 7), 15) == at(8, 9, 0)
    assert round_to_grid(at(8, 9, 8), 15) == at(8, 9, 15)


def test_overlapping_time_logs_of_one_user_are_an_error_naming_both_tasks(
    dbsession, factory, project, people, check
):
    if dbsession.get_bind().dialect.name == "postgresql":
        pytest.skip("PostgreSQL's exclusion constraint refuses overlapping time logs")
    ann, _ = people
    first = factory.task(project=project, name="First", resources=[ann])
    second = factory.task(project=project, name="Second", resources=[ann])
    log(dbsession, first, ann, at(4, 9), at(4, 12))
    log(dbsession, second, ann, at(4, 11), at(4, 13))

    checked = check()

    assert not checked.ok
    (error,) = [m for m in checked.messages if m.is_error]
    assert error.text == (
        f"Ann has overlapping time logs: on First (task {first.id}) until "
        f"2024-01-04 12:00 UTC and on Second (task {second.id}) from 2024-01-04 11:00 UTC "
        "(after rounding to the 60 min grid). Correct one of them."
    )
    assert (error.task_ids, error.user_ids, error.origin) == (
        [first.id, second.id],
        [ann.id],
        "check",
    )


def test_time_logs_switching_between_tasks_do_not_overlap(
    dbsession, factory, project, people, check
):
    ann, _ = people
    first = factory.task(project=project, name="First", resources=[ann])
    second = factory.task(project=project, name="Second", resources=[ann])
    log(dbsession, first, ann, at(2, 9), at(2, 12))
    log(dbsession, second, ann, at(3, 9), at(3, 12))
    log(dbsession, first, ann, at(4, 9), at(4, 12))

    checked = check()

    assert checked.ok, texts(checked)
    assert planned(checked, first).bookings == [
        (ann.id, at(2, 9), at(2, 12)),
        (ann.id, at(4, 9), at(4, 12)),
    ]


def test_time_logs_touching_after_rounding_do_not_overlap(
    dbsession, factory, project, people, check
):
    ann, _ = people
    first = factory.task(project=project, name="First", resources=[ann])
    second = factory.task(project=project, name="Second", resources=[ann])
    log(dbsession, first, ann, at(4, 9), at(4, 10, 40))
    log(dbsession, second, ann, at(4, 10, 40), at(4, 12))

    checked = check()

    assert checked.ok
    assert planned(checked, first).bookings == [(ann.id, at(4, 9), at(4, 11))]
    assert planned(checked, second).bookings == [(ann.id, at(4, 11), at(4, 12))]
    assert checked.window_start == at(4, 0)
    assert checked.window_end == at(8, 0) + timedelta(days=730)


def test_time_logs_on_a_task_that_became_a_container_are_left_out(
    dbsession, factory, project, people, check
):
    ann, _ = people
    parent = factory.task(project=project, name="Parent")
    log(dbsession, parent, ann, at(4, 9), at(4, 10))
    factory.task(parent=parent, name="Child", resources=[ann])

    checked = check()

    assert checked.ok and planned(checked, parent).bookings == []
    assert "Time logs on 1 container task are left out" in texts(checked, "warning")


def test_timings_below_the_resolution_zero_and_unassigned_effort(factory, project, people, check):
    ann, _ = people
    short = factory.task(
        project=project, name="Short", schedule_timing=10, schedule_unit="min", resources=[ann]
    )
    zero = factory.task(project=project, name="Zero", schedule_timing=0, resources=[ann])
    nobody = factory.task(project=project, name="Nobody", schedule_timing=2, schedule_unit="d")
    week = factory.task(
        project=project, name="Week", schedule_timing=1, schedule_unit="w",
        schedule_model="duration",
    )  # fmt: skip

    checked = check()

    assert planned(checked, short).timing == ("effort", 60)
    assert planned(checked, zero).milestone and planned(checked, zero).timing is None
    assert planned(checked, nobody).timing == ("length", 18 * 60)  # 2 days of 9 h
    assert planned(checked, week).timing == ("duration", 7 * 24 * 60)
    warnings = texts(checked, "warning")
    assert "1 task shorter than the timing resolution (60 min) is planned to take 60 min" in (
        warnings
    )
    assert f"Nobody (task {nobody.id})" in warnings and "Week (task" not in warnings


def test_pinned_dates_missing_or_after_the_window_are_errors(factory, project, people, check):
    no_start = factory.task(project=project, name="No start", schedule_constraint="start")
    no_end = factory.task(project=project, name="No end", schedule_constraint="end")
    too_late = factory.task(project=project, name="Too late", schedule_constraint="start")
    too_late.start = at(8) + timedelta(days=40)

    checked = check(horizon_days=30)

    errors = texts(checked, "error")
    assert (
        "pinned to their start but has no start date; set one or remove the constraint: "
        f"No start (task {no_start.id})"
    ) in errors
    assert f"No end (task {no_end.id})" in errors
    assert "1 task is pinned after the planning window, which ends 2024-02-07 00:00 UTC" in (errors)
    assert f"Too late (task {too_late.id})" in errors


def test_pins_are_put_on_the_grid_and_a_container_keeps_only_its_start(
    factory, project, people, check
):
    ann, _ = people
    container = factory.task(
        project=project, name="Container", schedule_constraint="both", is_milestone=True
    )
    container.set_dates(at(9, 9, 20), at(12, 18))
    leaf = factory.task(parent=container, name="Leaf", schedule_constraint="end", resources=[ann])
    leaf.end = at(12, 17, 31)

    checked = check()

    assert (planned(checked, container).start, planned(checked, container).end) == (at(9, 9), None)
    assert not planned(checked, container).milestone
    assert planned(checked, leaf).end == at(12, 18)
    warnings = texts(checked, "warning")
    assert "container task marked as milestone is scheduled" in warnings
    assert "container task has a pinned end, which is ignored" in warnings


def test_waiting_for_a_container_of_the_task_is_an_error(dbsession, factory, project, check):
    container = factory.task(project=project, name="Container")
    inside = factory.task(parent=container, name="Inside")
    dbsession.add(TaskDependency(task=inside, depends_on=container))
    dbsession.flush()

    checked = check()

    assert (
        f"Inside (task {inside.id}) waits for Container (task {container.id}), which contains "
        "it" in texts(checked, "error")
    )


def test_a_loop_through_a_container_is_found_and_named_in_order(dbsession, factory, project, check):
    first = factory.task(project=project, name="First")
    box = factory.task(project=project, name="Box")
    inside = factory.task(parent=box, name="Inside")
    add_dependency(dbsession, box, first)
    # First waits for Inside's end, Box for First's, and Box ends after Inside: a loop.
    dbsession.add(TaskDependency(task=first, depends_on=inside))
    dbsession.flush()

    checked = check()

    (error,) = [m for m in checked.messages if m.is_error]
    assert set(error.task_ids) == {first.id, box.id, inside.id}
    assert error.text.startswith("These tasks wait for each other in a loop: ")
    chain = error.text.split(": ", 1)[1].split(". Remove")[0].split(" → ")
    assert chain[0] == chain[-1] and len(chain) == 4


def test_an_onstart_wait_on_a_sibling_inside_is_no_loop(dbsession, factory, project, check):
    box = factory.task(project=project, name="Box")
    first = factory.task(parent=box, name="First")
    second = factory.task(parent=box, name="Second")
    add_dependency(dbsession, second, first, dependency_target=DependencyTarget.ONSTART)
    assert check().ok


def test_gaps_are_rounded_to_whole_steps_of_at_least_one(dbsession, factory, project, check):
    first = factory.task(project=project, name="First")
    second = factory.task(project=project, name="Second")
    third = factory.task(project=project, name="Third")
    add_dependency(dbsession, second, first, gap_timing=20, gap_unit="min")
    add_dependency(dbsession, third, first, gap_timing=2, gap_unit="d", gap_model="duration")

    checked = check()

    ((gap,),) = [planned(checked, second).depends]
    assert (gap.gap_keyword, gap.gap_minutes) == ("gaplength", 60)
    ((gap,),) = [planned(checked, third).depends]
    assert (gap.gap_keyword, gap.gap_minutes) == ("gapduration", 48 * 60)
    (gap_warning,) = [m for m in checked.messages if "dependency gap" in m.text]
    assert gap_warning.task_ids == [second.id]


def test_effort_only_people_of_no_efficiency_can_do_is_an_error(
    dbsession, factory, project, people, check
):
    ann, _ = people
    ann.efficiency = 0
    task = factory.task(project=project, name="Never", resources=[ann])
    assert "every person on them has an efficiency of 0" in texts(check(), "error")
    assert f"Never (task {task.id})" in texts(check(), "error")


def test_vacations_become_leaves_on_the_grid_and_other_projects_block_their_people(
    dbsession, factory, project, people, check
):
    ann, bob = people
    dbsession.add_all(
        [
            Vacation(user=ann, start=at(10, 9, 40), end=at(11, 0)),
            Vacation(start=at(15, 0), end=at(16, 0)),
        ]
    )
    other = factory.project(name="Other")
    done = factory.task(project=other, name="Done")
    first = factory.task(project=other, name="First")
    second = factory.task(project=other, name="Second")
    # Computed earlier: Bob on First (Mon-Tue), Second (Tue-Wed); Done ended before now.
    for task, start, end in ((done, at(1, 9), at(5, 18)), (first, at(8, 9), at(9, 18)),
                             (second, at(9, 12), at(10, 18))):  # fmt: skip
        task.computed_start, task.computed_end = start, end
        task.computed_resources = [bob]
    dbsession.flush()

    checked = check()

    holidays = [(leave.kind, leave.start, leave.end) for leave in checked.holidays]
    assert holidays == [("holiday", at(15, 0), at(16, 0))]
    leaves = {r.id: [(lv.kind, lv.start, lv.end) for lv in r.leaves] for r in checked.resources}
    assert leaves[ann.id] == [("annual", at(10, 10), at(11, 0))]
    assert leaves[bob.id] == [("project", at(8, 9), at(10, 18))]

    whole_studio = check_studio(read_snapshot(dbsession, factory.studio(), None, NOW), NOW, 730)
    assert [r.leaves for r in whole_studio.resources if r.id == bob.id] == [[]]


def test_reading_the_snapshot_takes_the_same_queries_for_few_and_many_tasks(
    dbsession, factory, project, people, count_queries
):
    ann, bob = people

    def grow(size: int) -> None:
        for number in range(size):
            container = factory.task(project=project, name=f"Box {number}")
            first = factory.task(parent=container, name="First", resources=[ann])
            second = factory.task(
                parent=container, name="Second", resources=[bob], alternative_resources=[ann]
            )
            add_dependency(dbsession, second, first)
            log(
                dbsession,
                first,
                ann,
                at(1, 9) + timedelta(days=size, hours=number),
                at(1, 10) + timedelta(days=size, hours=number),
            )  # noqa: E501
        dbsession.flush()

    def queries() -> int:
        with count_queries() as counter:
            read_snapshot(dbsession, factory.studio(), [project.id], NOW)
        return counter.count

    grow(1)
    few = queries()
    grow(6)
    assert queries() == few
    with count_queries() as counter:
        read_snapshot(dbsession, factory.studio(), None, datetime(2024, 1, 8, tzinfo=UTC))
    assert counter.count == few - 1  # no work outside the run to read
