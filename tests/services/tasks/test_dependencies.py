"""Dependencies: statuses, and every circular check on the tree and the dependency graph."""

import pytest

from stalker_web.models import TaskDependency
from stalker_web.models.task import status_changes
from stalker_web.services.errors import ValidationError
from stalker_web.services.tasks.dependencies import add_dependency, remove_dependency
from stalker_web.services.workflow.statuses import task_status


@pytest.fixture
def project(factory):
    return factory.project()


@pytest.fixture
def task(dbsession, factory, project):
    """A new root task of the project, named as asked, put straight in the status ``code`` if
    given (test setup; the application changes statuses only through the workflow)."""

    def build(name, code=None, **values):
        created = factory.task(project=project, name=name, **values)
        if code is not None:
            with status_changes():
                created.status = task_status(dbsession, code)
        return created

    return build


def refused(message: str):
    return pytest.raises(ValidationError, match=message)


def test_a_task_waits_for_an_unfinished_dependency(dbsession, task):
    modeling, rigging = task("Modeling"), task("Rigging")
    dependency = add_dependency(dbsession, rigging, modeling)
    assert (dependency.dependency_target, dependency.gap_timing) == ("onend", 0.0)
    assert rigging.depends_on == [modeling]
    assert modeling.dependent_of == [rigging]
    assert rigging.status.code == "WFD"


@pytest.mark.parametrize("code", ["CMPL", "STOP"])
def test_a_finished_dependency_leaves_the_task_ready(dbsession, task, code):
    done = task("Done", code)
    waiting = task("Waiting")
    add_dependency(dbsession, waiting, done)
    assert waiting.status.code == "RTS"


def test_removing_the_last_unfinished_dependency_makes_the_task_ready(dbsession, task):
    first, second, dependent = task("First"), task("Second"), task("Dependent")
    add_dependency(dbsession, dependent, first)
    add_dependency(dbsession, dependent, second)
    remove_dependency(dbsession, dependent, first)
    assert (dependent.status.code, dependent.depends_on) == ("WFD", [second])
    remove_dependency(dbsession, dependent, second)
    assert (dependent.status.code, dependent.depends_on) == ("RTS", [])


def test_removing_a_missing_dependency_is_refused(dbsession, task):
    with refused("Comp does not depend on Paint"):
        remove_dependency(dbsession, task("Comp"), task("Paint"))


def test_the_gap_and_target_are_kept(dbsession, task):
    dependency = add_dependency(
        dbsession,
        task("Comp"),
        task("Render"),
        dependency_target="onstart",
        gap_timing=2,
        gap_unit="d",
        gap_model="duration",
    )
    dbsession.expire_all()
    stored = dbsession.get(TaskDependency, (dependency.task_id, dependency.depends_on_id))
    assert (stored.dependency_target, stored.gap_timing, stored.gap_unit, stored.gap_model) == (
        "onstart",
        2.0,
        "d",
        "duration",
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"gap_timing": -2}, "gap_timing", "The gap must be a number of zero or more"),
        ({"gap_model": "effort"}, "gap_model", "A gap is a length"),
        ({"dependency_target": "later"}, "dependency_target", "must be one of onend, onstart"),
    ],
)
def test_bad_gaps_are_refused_on_their_field(dbsession, task, values, field, message):
    with refused(message) as error:
        add_dependency(dbsession, task("Comp"), task("Render"), **values)
    assert error.value.field == field


def test_dependencies_only_change_while_waiting_or_ready(dbsession, task):
    busy = task("Busy", "WIP")
    with refused("dependencies of Busy can only change while .* it is Work In Progress"):
        add_dependency(dbsession, busy, task("Other"))


def test_a_dependency_is_added_once(dbsession, task):
    first, second = task("First"), task("Second")
    add_dependency(dbsession, second, first)
    with refused("Second already depends on First"):
        add_dependency(dbsession, second, first, dependency_target="onstart")


# Circular checks


def test_a_task_cannot_depend_on_itself(dbsession, task):
    alone = task("Alone")
    with refused("A task cannot depend on itself") as error:
        add_dependency(dbsession, alone, alone)
    assert error.value.field == "depends_on"


def test_a_task_cannot_depend_on_its_own_parent(dbsession, factory, task):
    parent = task("Parent")
    with refused("A task cannot depend on its own parent"):
        add_dependency(dbsession, factory.task(parent=parent), parent)


def test_a_task_cannot_depend_on_an_ancestor(dbsession, factory, task):
    root = task("Root")
    leaf = factory.task(parent=factory.task(parent=root), name="Leaf")
    with refused("A task cannot depend on a task that contains it: Root contains Leaf"):
        add_dependency(dbsession, leaf, root, dependency_target="onstart")


def test_a_task_cannot_depend_on_a_descendant(dbsession, factory, task):
    root = task("Root")
    leaf = factory.task(parent=factory.task(parent=root), name="Leaf")
    with refused("A task cannot depend on a task inside it: Leaf is inside Root"):
        add_dependency(dbsession, root, leaf)


def test_two_tasks_cannot_wait_for_each_other(dbsession, task):
    first, second = task("First"), task("Second")
    add_dependency(dbsession, second, first)
    with refused("Second already waits for First .* would close a loop"):
        add_dependency(dbsession, first, second)


@pytest.mark.parametrize("target", ["onend", "onstart"])
def test_a_long_chain_cannot_be_closed(dbsession, task, target):
    chain = [task(f"Step {number}") for number in range(6)]
    for waiting, waited in zip(chain[1:], chain, strict=False):
        add_dependency(dbsession, waiting, waited, dependency_target=target)
    with refused("Step 5 already waits for Step 0"):
        add_dependency(dbsession, chain[0], chain[-1], dependency_target=target)


def test_waiting_for_a_container_means_waiting_for_what_is_inside(dbsession, factory, task):
    container = task("Container")
    inner = factory.task(parent=factory.task(parent=container), name="Inner")
    outside = task("Outside")
    add_dependency(dbsession, outside, container)
    with refused("Outside already waits for Inner"):
        add_dependency(dbsession, inner, outside)


def test_a_child_inherits_the_dependencies_of_its_container(dbsession, factory, task):
    container, upstream = task("Container"), task("Upstream")
    inner = factory.task(parent=container, name="Inner")
    add_dependency(dbsession, container, upstream)
    with refused("Inner already waits for Upstream"):
        add_dependency(dbsession, upstream, inner)


def test_a_dependency_waiting_for_the_parent_cannot_be_waited_for(dbsession, factory, task):
    """Stalker's rule: none of the task's parents may be a dependency of the new dependency."""
    parent, other = task("Parent"), task("Other")
    child = factory.task(parent=parent, name="Child")
    add_dependency(dbsession, other, parent)
    with refused("Other already waits for Child"):
        add_dependency(dbsession, child, other)


def test_a_diamond_is_not_a_loop(dbsession, task):
    top, left, right, bottom = task("Top"), task("Left"), task("Right"), task("Bottom")
    for waiting, waited in [(left, top), (right, top), (bottom, left), (bottom, right)]:
        add_dependency(dbsession, waiting, waited)
    assert set(bottom.depends_on) == {left, right}


def test_waiting_for_the_start_of_a_container_does_not_wait_for_its_children(
    dbsession, factory, task
):
    container = task("Container")
    inner = factory.task(parent=container, name="Inner")
    outside = task("Outside")
    add_dependency(dbsession, outside, container, dependency_target="onstart")
    add_dependency(dbsession, inner, outside)
    assert inner.depends_on == [outside]


def test_dependencies_across_projects_are_checked_too(dbsession, factory, task):
    here = task("Here")
    there = factory.task(project=factory.project(), name="There")
    add_dependency(dbsession, there, here)
    with refused("There already waits for Here"):
        add_dependency(dbsession, here, there)


def test_the_walk_is_batched_on_a_wide_graph(dbsession, factory, task, count_queries):
    hub = task("Hub")
    fan = [task(f"Fan {number}") for number in range(60)]
    for waiting in fan:
        add_dependency(dbsession, waiting, hub)
        factory.task(parent=waiting)
    outsider = task("Outsider")
    for waited in fan:
        add_dependency(dbsession, outsider, waited)
    newcomer = task("Newcomer")
    with count_queries() as counter:
        add_dependency(dbsession, newcomer, outsider)
    assert counter.count < 20
