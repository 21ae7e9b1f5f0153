"""Task and its kinds: validation in the models, and the materialised path kept by events."""

from contextlib import contextmanager

import pytest
from sqlalchemy import select

from stalker_web.models import Asset, Scene, Sequence, Shot, Task, TaskDependency, Variant
from stalker_web.models.meta import InvalidValue
from stalker_web.models.schedule import AllocationStrategy, ScheduleModel, TimeUnit
from stalker_web.services.workflow.statuses import task_status


@contextmanager
def raises(field: str, message: str):
    """Expect an InvalidValue on ``field`` whose message matches ``message``."""
    with pytest.raises(InvalidValue, match=message) as error:
        yield error
    assert error.value.field == field


# The tree and the materialised path


def test_a_root_task_path_is_its_id(make):
    root = make()
    assert (root.path, root.depth, root.ancestor_ids) == (f"/{root.id}/", 0, [])
    assert root.is_root


def test_a_child_path_extends_its_parent_path(make):
    root = make()
    child = make(parent=root)
    grandchild = make(parent=child)
    assert grandchild.path == f"/{root.id}/{child.id}/{grandchild.id}/"
    assert (child.depth, grandchild.depth) == (1, 2)
    assert grandchild.ancestor_ids == [root.id, child.id]


def test_paths_are_stored_not_only_in_memory(make, dbsession):
    child = make(parent=make())
    path = child.path
    dbsession.expire_all()
    assert dbsession.scalar(select(Task.path).where(Task.id == child.id)) == path


def test_re_parenting_rewrites_the_whole_subtree_in_the_database(make, dbsession):
    old_root, new_root = make(), make()
    moved = make(parent=old_root)
    leaf = make(parent=make(parent=moved))
    leaf_id = leaf.id
    dbsession.expunge(leaf)
    moved.parent = new_root
    dbsession.flush()
    stored = dbsession.get(Task, leaf_id)
    assert stored.path.startswith(f"/{new_root.id}/{moved.id}/")
    assert stored.depth == 3
    assert moved.path == f"/{new_root.id}/{moved.id}/"


def test_re_parenting_updates_the_loaded_tasks_too(make, dbsession):
    root = make()
    moved = make(parent=root)
    leaf = make(parent=moved)
    moved.parent = None
    dbsession.flush()
    assert (leaf.path, leaf.depth) == (f"/{moved.id}/{leaf.id}/", 1)


def test_a_task_takes_its_project_from_its_parent(make, project):
    assert make(parent=make()).project is project


def test_a_task_needs_a_project_or_a_parent(dbsession):
    with raises("project", "A task needs a project or a parent task"):
        Task(name="Orphan", status=task_status(dbsession, "RTS"))


def test_a_parent_in_another_project_is_refused(make, factory):
    elsewhere = make(project=factory.project())
    with raises("parent", "is in another project"):
        make(parent=make(), project=elsewhere.project)
    task = make()
    with raises("parent", "is in another project"):
        task.parent = elsewhere


def test_the_project_of_a_task_cannot_change(make, factory):
    task = make()
    with raises("project", "A task cannot move to another project"):
        task.project = factory.project()


def test_a_task_cannot_be_its_own_parent(make):
    task = make()
    with raises("parent", "A task cannot be its own parent"):
        task.parent = task


def test_a_task_cannot_go_under_its_own_descendant(make):
    root = make(name="Root")
    grandchild = make(parent=make(parent=root))
    with raises("parent", "is inside Root, so it cannot be its parent"):
        root.parent = grandchild


def test_a_loop_among_new_tasks_is_refused(project, dbsession):
    status = task_status(dbsession, "RTS")
    first = Task(name="First", project=project, status=status)
    second = Task(name="Second", parent=first, status=status)
    with raises("parent", "is inside First"):
        first.parent = second


def test_subclasses_load_as_their_own_kind(make, dbsession):
    sequence = make(Sequence, code="SQ01")
    make(Shot, code="SH010", parent=sequence)
    dbsession.expire_all()
    kinds = {task.name: type(task) for task in dbsession.scalars(select(Task))}
    assert kinds["Sequence task"] is Sequence
    assert kinds["Shot task"] is Shot


# Planning fields


def test_new_tasks_get_stalkers_defaults(make):
    task = make()
    assert (task.priority, task.schedule_timing, task.schedule_unit) == (500, 1.0, TimeUnit.HOUR)
    assert task.schedule_model is ScheduleModel.EFFORT
    assert task.allocation_strategy is AllocationStrategy.MINALLOCATED
    assert task.persistent_allocation and not task.is_milestone


def test_the_bid_defaults_to_the_schedule(make):
    task = make(schedule_timing=3, schedule_unit="d")
    assert (task.bid_timing, task.bid_unit) == (3.0, TimeUnit.DAY)


@pytest.mark.parametrize("priority", [-1, 1001, 2.5, "high", True])
def test_a_priority_out_of_range_is_refused_not_clamped(make, priority):
    task = make()
    with raises("priority", "The priority is a whole number from 0 to 1000"):
        task.priority = priority
    assert task.priority == 500


@pytest.mark.parametrize("field", ["schedule_timing", "bid_timing"])
def test_timings_cannot_be_negative(make, field):
    with raises(field, "must be a number of zero or more"):
        setattr(make(), field, -1)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("schedule_unit", "fortnight", "The schedule unit must be one of"),
        ("bid_unit", "", "The bid unit must be one of"),
        ("schedule_model", "guess", "The schedule model must be one of effort, length, duration"),
        ("schedule_constraint", "middle", "The schedule constraint must be one of none, start"),
        ("allocation_strategy", "first", "The allocation strategy must be one of minallocated"),
    ],
)
def test_enum_fields_name_their_choices(make, field, value, message):
    with raises(field, message):
        setattr(make(), field, value)


def test_schedule_seconds_uses_the_studio_calendar(make, factory):
    studio = factory.studio()
    task = make(schedule_timing=2, schedule_unit="d", schedule_model="length")
    assert task.schedule_seconds(studio) == 2 * studio.daily_working_hours * 3600
    assert task.bid_seconds(studio) == task.schedule_seconds(studio)


def test_resources_and_watchers_are_users(make, factory):
    task = make()
    user = factory.user()
    task.resources.append(user)
    task.watchers.append(user)
    task.responsible.append(user)
    with raises("alternative_resources", "Resources are users"):
        task.alternative_resources.append(task)
    with raises("watchers", "Watchers are users"):
        task.watchers.append("someone")


def test_a_milestone_has_no_resources(make, factory):
    milestone = make(is_milestone=True)
    with raises("resources", "A milestone has no resources"):
        milestone.resources.append(factory.user())
    staffed = make(resources=[factory.user()])
    with raises("is_milestone", "A milestone has no resources: remove them first"):
        staffed.is_milestone = True


# Types and codes


def test_a_type_must_be_for_the_kind_of_task(make, factory):
    task = make(type=factory.task_type("Task", "Modeling"))
    with raises("type", "The type Character is for Asset entities, not Task"):
        task.type = factory.task_type("Asset", "Character")
    shot = make(Shot, code="SH010", type=factory.task_type("Shot", "Hero shot"))
    assert shot.type.name == "Hero shot"


def test_an_asset_needs_a_type_for_assets(make, factory):
    with raises("type", "An asset needs a type"):
        make(Asset, code="CHR")
    with raises("type", "is for Task entities, not Asset"):
        make(Asset, code="CHR", type=factory.task_type("Task", "Modeling"))
    asset = make(Asset, code="CHR", type=factory.task_type("Asset", "Character"))
    with raises("type", "An asset needs a type"):
        asset.type = None


@pytest.mark.parametrize("cls", [Asset, Sequence, Scene, Shot])
def test_coded_kinds_need_a_code(make, factory, cls):
    with raises("code", "A code is required"):
        make(cls, type=factory.task_type("Asset", "Prop") if cls is Asset else None)


@pytest.mark.parametrize("cls", [Task, Variant])
def test_plain_tasks_and_variants_have_no_code(make, cls):
    assert make(cls, code="  ").code is None


# Dependencies (the model's own checks; the graph checks are the service's)


def test_a_dependency_defaults_to_onend_with_no_gap(make, dbsession):
    first, second = make(), make()
    second.depends_on.append(first)
    dbsession.flush()
    dependency = second.task_depends_on[0]
    assert (dependency.dependency_target, dependency.gap_timing) == ("onend", 0.0)
    assert first.dependent_of == [second]


def test_a_task_cannot_depend_on_itself_in_the_model(make):
    task = make()
    with raises("depends_on", "A task cannot depend on itself"):
        task.depends_on.append(task)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("gap_timing", -1, "The gap must be a number of zero or more"),
        ("gap_model", "effort", "A gap is a length"),
        ("gap_unit", "fortnight", "The gap unit must be one of"),
        ("dependency_target", "onmiddle", "The dependency target must be one of onend, onstart"),
    ],
)
def test_bad_gaps_and_targets_are_refused(field, value, message):
    with raises(field, message):
        TaskDependency(**{field: value})


def test_a_gap_converts_on_the_studio_calendar(factory):
    gap = TaskDependency(gap_timing=2, gap_unit="d", gap_model="duration")
    assert gap.gap_seconds(factory.studio()) == 2 * 86_400
