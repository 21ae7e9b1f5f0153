"""The status workflow on the database: leaf actions of table 4.2, dependencies, propagation
to dependents and containers (4.5), and the improvements over Stalker."""

import pytest
from sqlalchemy import select

from stalker_web.models import TaskDependency
from stalker_web.services.errors import ValidationError
from stalker_web.services.tasks.commands import delete_task, move_task
from stalker_web.services.tasks.dependencies import add_dependency, remove_dependency
from stalker_web.services.tasks.progress import studio_calendar
from stalker_web.services.workflow import actions as workflow
from stalker_web.services.workflow.statuses import task_status
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.calendar import MONDAY

LOGGABLE = (
    "Time can only be logged on a task that is Ready To Start, Work In Progress, Pending Review, "
    "Has Revision or Dependency Has Revision"
)
NAMES = {"WFD": "Waiting For Dependency", "OH": "On Hold", "STOP": "Stopped", "CMPL": "Completed"}

ALL = ["WFD", "RTS", "WIP", "PREV", "HREV", "DREV", "OH", "STOP", "CMPL"]


@pytest.fixture
def project(factory):
    return factory.project()


@pytest.fixture
def task(factory, project):
    def build(name="Task", **values):
        values.setdefault("schedule_timing", 10)
        return factory.task(project=project, name=name, **values)

    return build


def refused(message):
    return pytest.raises(ValidationError, match=message)


def test_a_direct_status_write_is_refused(dbsession, task):
    new = task()
    with pytest.raises(Exception, match="changes only through its workflow actions"):
        new.status = task_status(dbsession, "CMPL")
    assert new.status.code == "RTS"


def test_a_new_task_is_ready_or_waits_for_its_dependency(dbsession, task):
    first = task("First")
    assert first.status.code == "RTS"
    second = task("Second")
    add_dependency(dbsession, second, first)
    assert second.status.code == "WFD"


# Logging time (4.2 row 2)


@pytest.mark.parametrize(
    ("before", "after"),
    [("RTS", "WIP"), ("WIP", "WIP"), ("PREV", "PREV"), ("HREV", "WIP"), ("DREV", "DREV")],
)
def test_logging_time(task, put, log_hours, before, after):
    worked = put(task(), before)
    log_hours(worked)
    assert worked.status.code == after


@pytest.mark.parametrize("before", ["WFD", "OH", "STOP", "CMPL"])
def test_logging_time_is_refused(task, put, log_hours, before):
    worked = put(task(), before)
    with refused(f"{LOGGABLE}; this one is {NAMES[before]}\\."):
        log_hours(worked)
    assert worked.time_logs == []


def test_logging_time_on_a_container_is_refused(factory, task, log_hours):
    container = task("Container")
    factory.task(parent=container)
    with refused("Container has child tasks"):
        log_hours(container)


# Hold, stop, resume


@pytest.mark.parametrize("before", ["WIP", "DREV", "OH"])
def test_hold(dbsession, task, put, before):
    held = put(task(priority=700), before)
    workflow.hold(dbsession, held)
    assert held.status.code == "OH"
    assert held.priority == 0 if before != "OH" else held.priority == 700


@pytest.mark.parametrize("before", sorted(set(ALL) - {"WIP", "DREV", "OH"}))
def test_hold_is_refused(dbsession, task, put, before):
    with refused("Work In Progress, Dependency Has Revision or On Hold can be put on hold"):
        workflow.hold(dbsession, put(task(), before))


def test_resume_gives_back_the_priority_hold_took(dbsession, task, log_hours):
    held = task(priority=720)
    log_hours(held)
    workflow.hold(dbsession, held)
    assert held.priority == 0
    workflow.resume(dbsession, held)
    assert (held.status.code, held.priority) == ("WIP", 720)
    assert "priority_before_hold" not in held.generic_data


def test_resume_without_time_logs_or_dependencies_ends_ready(dbsession, task, put):
    held = put(task(), "OH")
    workflow.resume(dbsession, held)
    assert held.status.code == "RTS"


def test_resume_is_reevaluated_against_the_dependencies(dbsession, task, put, log_hours):
    upstream, held = task("Upstream"), task("Held")
    add_dependency(dbsession, held, upstream)
    put(upstream, "CMPL")
    put(held, "RTS")
    log_hours(held)
    put(held, "OH")
    put(upstream, "WIP")
    workflow.resume(dbsession, held)
    assert held.status.code == "DREV"


@pytest.mark.parametrize("before", sorted(set(ALL) - {"OH", "STOP"}))
def test_resume_is_refused(dbsession, task, put, before):
    with refused("Only a task that is On Hold or Stopped can be resumed"):
        workflow.resume(dbsession, put(task(), before))


def test_stop_clamps_the_estimate_to_the_logged_time(dbsession, task, log_hours):
    stopped = task(schedule_timing=10, schedule_unit="h")
    log_hours(stopped, hours=3)
    workflow.stop(dbsession, stopped)
    assert (stopped.status.code, stopped.schedule_timing, stopped.schedule_unit) == (
        "STOP",
        3.0,
        "h",
    )
    assert (stopped.bid_timing, stopped.bid_unit) == (10.0, "h")


def test_stop_without_logged_time_keeps_the_estimate(dbsession, task, put):
    stopped = put(task(schedule_timing=4, schedule_unit="d"), "WIP")
    workflow.stop(dbsession, stopped)
    assert (stopped.status.code, stopped.schedule_timing, stopped.schedule_unit) == (
        "STOP",
        4.0,
        "d",
    )


def test_stop_lets_the_dependents_go(dbsession, task, log_hours):
    upstream, downstream = task("Upstream"), task("Downstream")
    add_dependency(dbsession, downstream, upstream)
    log_hours(upstream)
    assert downstream.status.code == "WFD"
    workflow.stop(dbsession, upstream)
    assert downstream.status.code == "RTS"


@pytest.mark.parametrize("before", sorted(set(ALL) - {"WIP", "DREV", "STOP"}))
def test_stop_is_refused(dbsession, task, put, before):
    with refused("Work In Progress, Dependency Has Revision or Stopped can be stopped"):
        workflow.stop(dbsession, put(task(), before))


def test_resuming_a_stopped_task_holds_its_dependents_back_again(dbsession, task, log_hours):
    upstream, downstream = task("Upstream"), task("Downstream")
    add_dependency(dbsession, downstream, upstream)
    log_hours(upstream)
    workflow.stop(dbsession, upstream)
    assert downstream.status.code == "RTS"
    workflow.resume(dbsession, upstream)
    assert (upstream.status.code, downstream.status.code) == ("WIP", "WFD")


# Dependencies (4.2 rows "add" and "remove")


@pytest.mark.parametrize(
    ("upstream_code", "after"),
    [(code, "WFD") for code in ["WFD", "RTS", "WIP", "PREV", "HREV", "DREV", "OH"]]
    + [("CMPL", "RTS"), ("STOP", "RTS")],
)
def test_adding_a_dependency_to_a_ready_task(dbsession, task, put, upstream_code, after):
    upstream, ready = put(task("Upstream"), upstream_code), task("Ready")
    add_dependency(dbsession, ready, upstream)
    assert ready.status.code == after


@pytest.mark.parametrize("before", ["WIP", "PREV", "HREV", "DREV", "OH", "STOP", "CMPL"])
def test_adding_a_dependency_is_refused_once_started(dbsession, task, put, before):
    busy = put(task("Busy"), before)
    with refused("dependencies of Busy can only change while it waits"):
        add_dependency(dbsession, busy, task("Other"))


@pytest.mark.parametrize(
    ("before", "logs", "remaining", "after"),
    [
        ("WFD", False, None, "RTS"),
        ("DREV", True, None, "WIP"),
        ("DREV", False, None, "RTS"),
        ("DREV", True, "CMPL", "HREV"),
        ("WIP", False, None, "RTS"),
        ("CMPL", False, None, "CMPL"),
        ("PREV", False, None, "PREV"),
        ("OH", False, None, "OH"),
    ],
)
def test_removing_a_dependency_reevaluates_the_task(
    dbsession, task, put, log_hours, before, logs, remaining, after
):
    blocking, target = task("Blocking"), task("Target")
    add_dependency(dbsession, target, blocking)
    if remaining:
        add_dependency(dbsession, target, put(task("Done"), remaining))
    if logs:
        put(target, "RTS")
        log_hours(target)
    put(target, before)
    remove_dependency(dbsession, target, blocking)
    assert target.status.code == after


def test_a_drev_task_back_to_hrev_with_nothing_left_gets_one_more_step(
    dbsession, task, put, log_hours
):
    blocking, done = task("Blocking"), put(task("Done"), "CMPL")
    target = task("Target", schedule_timing=2, schedule_unit="h")
    add_dependency(dbsession, target, done)
    log_hours(target, hours=2)
    add_dependency_while_started = TaskDependency(task=target, depends_on=blocking)
    dbsession.add(add_dependency_while_started)
    put(target, "DREV")
    remove_dependency(dbsession, target, blocking)
    resolution = studio_calendar(dbsession).timing_resolution_minutes
    assert target.status.code == "HREV"
    assert target.schedule_seconds(studio_calendar(dbsession)) == 2 * 3600 + resolution * 60


# Containers (4.5)


def test_containers_follow_their_children(dbsession, factory, task, put, log_hours):
    root = task("Root")
    middle = factory.task(parent=root, name="Middle")
    first = factory.task(parent=middle, name="First", schedule_timing=5)
    second = factory.task(parent=middle, name="Second", schedule_timing=5)
    assert (root.status.code, middle.status.code) == ("RTS", "RTS")
    log_hours(first)
    assert (middle.status.code, root.status.code) == ("WIP", "WIP")
    workflow.stop(dbsession, first)
    assert middle.status.code == "RTS"  # {STOP, RTS}
    log_hours(second)
    workflow.stop(dbsession, second)
    assert (middle.status.code, root.status.code) == ("CMPL", "CMPL")  # {STOP}


def test_a_new_child_reopens_a_completed_container(dbsession, factory, task, log_hours):
    container = task("Container")
    child = factory.task(parent=container)
    log_hours(child)
    workflow.stop(dbsession, child)
    assert container.status.code == "CMPL"
    factory.task(parent=container)
    assert container.status.code == "RTS"  # {STOP, RTS}


def test_a_container_left_without_children_starts_over(dbsession, factory, task, log_hours):
    container = task("Container")
    child = factory.task(parent=container)
    log_hours(child)
    assert container.status.code == "WIP"
    delete_task(dbsession, child, submitted_version=child.version_id)
    assert container.status.code == "RTS"


def test_moving_a_task_rederives_both_parents(dbsession, factory, task, log_hours):
    old, new = task("Old"), task("New")
    moving = factory.task(parent=old)
    factory.task(parent=old)
    factory.task(parent=new)
    log_hours(moving)
    assert (old.status.code, new.status.code) == ("WIP", "RTS")
    move_task(dbsession, moving, new, submitted_version=moving.version_id)
    assert (old.status.code, new.status.code) == ("RTS", "WIP")


def test_a_container_waiting_for_an_unfinished_task_waits(dbsession, factory, task):
    upstream, container = task("Upstream"), task("Container")
    factory.task(parent=container)
    add_dependency(dbsession, container, upstream)
    assert container.status.code == "WFD"


def test_a_dependent_of_a_container_goes_when_the_container_completes(
    dbsession, factory, task, log_hours
):
    container, downstream = task("Container"), task("Downstream")
    child = factory.task(parent=container)
    add_dependency(dbsession, downstream, container)
    assert downstream.status.code == "WFD"
    log_hours(child)
    workflow.stop(dbsession, child)
    assert (container.status.code, downstream.status.code) == ("CMPL", "RTS")


def test_containers_are_derived_one_query_per_level(
    dbsession, factory, task, log_hours, count_queries
):
    node = task("Level 0")
    for depth in range(1, 6):
        node = factory.task(parent=node, name=f"Level {depth}")
    create_time_log(dbsession, node, factory.user(), MONDAY, MONDAY.replace(hour=10))
    with count_queries() as deep:
        workflow.stop(dbsession, node)
    assert dbsession.scalars(select(TaskDependency)).all() == []
    assert deep.count <= 6 * 3 + 12
