"""The task tree service: creating, moving and deleting tasks, subtrees and inherited people."""

import random

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from stalker_web.models import Shot, Task, TaskDependency
from stalker_web.services.errors import ConflictError, ValidationError
from stalker_web.services.tasks.commands import (
    ancestors,
    create_task,
    delete_task,
    move_task,
    responsible_users,
    subtree,
)
from stalker_web.services.tasks.dependencies import add_dependency
from stalker_web.services.workflow.statuses import task_status


@pytest.fixture
def project(factory):
    return factory.project(name="Foo")


def move(dbsession, task, parent):
    return move_task(dbsession, task, parent, submitted_version=task.version_id)


def assert_paths_match_parents(dbsession, project):
    """Every stored path and depth equals the one rebuilt from the parent_id column."""
    rows = dbsession.execute(
        select(Task.id, Task.parent_id, Task.path, Task.depth).where(Task.project_id == project.id)
    ).all()
    parents = {task_id: parent_id for task_id, parent_id, _path, _depth in rows}
    for task_id, _parent_id, path, depth in rows:
        chain, node = [], task_id
        while node is not None:
            chain.insert(0, node)
            node = parents[node]
        assert path == "/" + "/".join(map(str, chain)) + "/"
        assert depth == len(chain) - 1


# Creating


@pytest.mark.parametrize("kind", ["Task", "Asset", "Sequence", "Scene", "Shot", "Variant"])
def test_every_kind_of_task_is_created_ready_to_start(factory, project, kind):
    task = factory.task(kind, project=project)
    assert type(task).__name__ == kind == task.entity_type
    assert task.status.code == "RTS"


def test_a_child_takes_its_parents_project(factory, project):
    parent = factory.task(project=project)
    assert factory.task(parent=parent).project is project


def test_an_unknown_kind_is_refused(dbsession, project):
    with pytest.raises(ValidationError, match="Unknown kind of task: Episode") as error:
        create_task(dbsession, "Episode", project=project, name="E01")
    assert error.value.field == "kind"


def test_model_refusals_become_validation_errors_on_their_field(dbsession, project):
    with pytest.raises(ValidationError, match="The priority is a whole number") as error:
        create_task(dbsession, project=project, name="Model", priority=5000)
    assert error.value.field == "priority"
    with pytest.raises(ValidationError, match="A task needs a project or a parent task"):
        create_task(dbsession, name="Nowhere")


def test_a_parent_in_another_project_is_refused(dbsession, factory, project):
    elsewhere = factory.task(project=factory.project())
    with pytest.raises(ValidationError, match="is in another project") as error:
        create_task(dbsession, project=project, parent=elsewhere, name="Lost")
    assert error.value.field == "parent"


def test_a_shot_code_is_unique_in_its_project(dbsession, factory, project):
    factory.task("Shot", project=project, code="SH010")
    with pytest.raises(ValidationError, match="Shot code sh010 is already used in project Foo"):
        create_task(dbsession, "Shot", project=project, code="sh010")
    assert factory.task("Shot", project=factory.project(), code="SH010").code == "SH010"
    assert factory.task("Asset", project=project, code="SH010").code == "SH010"


def test_the_database_backs_up_the_shot_code_rule(dbsession, factory, project):
    factory.task("Shot", project=project, code="SH020")
    dbsession.add(Shot(code="SH020", project=project, status=task_status(dbsession, "RTS")))
    with pytest.raises(IntegrityError):
        dbsession.flush()


@pytest.mark.parametrize("holder", ["resources", "alternative_resources"])
def test_a_task_with_resources_cannot_get_children(dbsession, factory, project, holder):
    staffed = factory.task(project=project, name="Layout", **{holder: [factory.user()]})
    with pytest.raises(ValidationError, match="Layout has resources: remove them") as error:
        create_task(dbsession, parent=staffed, name="Blocking")
    assert error.value.field == "parent"


# Moving


def test_moving_rewrites_the_paths_of_the_subtree(dbsession, factory, project):
    first, second = (
        factory.task("Sequence", project=project),
        factory.task("Sequence", project=project),
    )
    shot = factory.task("Shot", parent=first)
    animation = factory.task(parent=shot)
    move(dbsession, shot, second)
    assert animation.path == f"/{second.id}/{shot.id}/{animation.id}/"
    assert set(dbsession.scalars(subtree(second))) == {second, shot, animation}
    assert list(dbsession.scalars(subtree(first))) == [first]
    assert_paths_match_parents(dbsession, project)


def test_moving_to_the_root(dbsession, factory, project):
    child = factory.task(parent=factory.task(project=project))
    move(dbsession, child, None)
    assert (child.parent, child.path, child.depth) == (None, f"/{child.id}/", 0)


def test_a_stale_move_is_refused(dbsession, factory, project):
    task, target = factory.task(project=project), factory.task(project=project)
    with pytest.raises(ConflictError):
        move_task(dbsession, task, target, submitted_version=task.version_id - 1)


def test_a_task_cannot_move_under_its_own_child(dbsession, factory, project):
    parent = factory.task(project=project, name="Parent")
    child = factory.task(parent=parent, name="Child")
    with pytest.raises(ValidationError, match="Child is inside Parent, so it cannot be its parent"):
        move(dbsession, parent, child)


def test_a_task_cannot_move_to_another_project(dbsession, factory, project):
    task = factory.task(project=project)
    with pytest.raises(ValidationError, match="is in another project"):
        move(dbsession, task, factory.task(project=factory.project()))


def test_a_task_cannot_move_under_a_task_with_resources(dbsession, factory, project):
    staffed = factory.task(project=project, name="Lighting", resources=[factory.user()])
    with pytest.raises(ValidationError, match="Lighting has resources"):
        move(dbsession, factory.task(project=project), staffed)


def test_a_dependency_cannot_become_the_parent(dbsession, factory, project):
    modeling = factory.task(project=project, name="Modeling")
    rigging = factory.task(project=project, name="Rigging")
    add_dependency(dbsession, rigging, modeling)
    with pytest.raises(
        ValidationError, match="A dependency cannot become the parent: Rigging waits for Modeling"
    ):
        move(dbsession, rigging, modeling)


def test_a_dependency_cannot_become_an_ancestor(dbsession, factory, project):
    asset = factory.task(project=project, name="Asset")
    rigging = factory.task(project=project, name="Rigging")
    add_dependency(dbsession, rigging, asset)
    with pytest.raises(ValidationError, match="Rigging waits for Asset"):
        move(dbsession, rigging, factory.task(parent=asset))


def test_a_move_that_makes_an_inner_task_wait_for_its_new_container_is_refused(
    dbsession, factory, project
):
    container = factory.task(project=project, name="Container")
    moved = factory.task(project=project, name="Moved")
    inner = factory.task(parent=moved)
    add_dependency(dbsession, inner, container)
    with pytest.raises(ValidationError, match="Moved cannot go under Container: with their"):
        move(dbsession, moved, container)


def test_a_move_that_closes_a_loop_through_other_tasks_is_refused(dbsession, factory, project):
    shot = factory.task(project=project, name="Shot")
    layout = factory.task(project=project, name="Layout")
    animation = factory.task(project=project, name="Animation")
    add_dependency(dbsession, shot, layout)
    add_dependency(dbsession, layout, animation)
    with pytest.raises(ValidationError, match="would wait for each other in a loop"):
        move(dbsession, animation, shot)


def test_moves_that_close_no_loop_are_allowed(dbsession, factory, project):
    first, second = factory.task(project=project), factory.task(project=project)
    upstream = factory.task(project=project)
    add_dependency(dbsession, second, upstream)
    add_dependency(dbsession, first, upstream)
    move(dbsession, first, second)
    assert first.parent is second


def test_random_moves_keep_every_path_right(dbsession, factory, project):
    rng = random.Random(3)
    tasks = [factory.task(project=project)]
    for _ in range(40):
        tasks.append(factory.task(parent=rng.choice(tasks)))
    for _ in range(30):
        task, target = rng.choice(tasks), rng.choice([*tasks, None])
        if target is None or not target.path.startswith(task.path):
            move(dbsession, task, target)
    dbsession.expire_all()
    assert_paths_match_parents(dbsession, project)


# Deleting


def test_deleting_removes_the_subtree_and_its_dependencies(dbsession, factory, project):
    sequence = factory.task("Sequence", project=project)
    shot = factory.task("Shot", parent=sequence)
    animation, lighting = factory.task(parent=shot), factory.task(parent=shot)
    add_dependency(dbsession, lighting, animation)
    ids = [sequence.id, shot.id, animation.id, lighting.id]
    delete_task(dbsession, sequence, submitted_version=sequence.version_id)
    assert dbsession.scalars(select(Task).where(Task.id.in_(ids))).all() == []
    assert (
        dbsession.scalars(select(TaskDependency).where(TaskDependency.task_id.in_(ids))).all() == []
    )


def test_tasks_that_waited_for_a_deleted_task_are_re_decided(dbsession, factory, project):
    upstream = factory.task(project=project)
    downstream = factory.task(project=project)
    add_dependency(dbsession, downstream, upstream)
    assert downstream.status.code == "WFD"
    delete_task(dbsession, upstream, submitted_version=upstream.version_id)
    assert downstream.status.code == "RTS"


def test_deleting_a_sequence_keeps_its_shots_elsewhere_in_the_tree(dbsession, factory, project):
    sequence = factory.task("Sequence", project=project)
    shot = factory.task("Shot", project=project, sequence=sequence)
    delete_task(dbsession, sequence, submitted_version=sequence.version_id)
    assert dbsession.get(Shot, shot.id).sequence is None


def test_a_stale_delete_is_refused(dbsession, factory, project):
    task = factory.task(project=project)
    with pytest.raises(ConflictError):
        delete_task(dbsession, task, submitted_version=None)
    assert dbsession.get(Task, task.id) is task


# Queries


def test_subtree_can_leave_out_the_task_itself(dbsession, factory, project):
    root = factory.task(project=project)
    child = factory.task(parent=root)
    assert list(dbsession.scalars(subtree(root, include_self=False))) == [child]


def test_a_subtree_does_not_catch_tasks_whose_id_starts_alike(dbsession, factory, project):
    roots = [factory.task(project=project) for _ in range(12)]
    first = roots[0]
    assert all(not other.path.startswith(first.path) for other in roots[1:])
    assert list(dbsession.scalars(subtree(first))) == [first]


def test_ancestors_are_listed_root_first(dbsession, factory, project):
    root = factory.task(project=project)
    middle = factory.task(parent=root)
    leaf = factory.task(parent=middle)
    assert ancestors(dbsession, leaf) == [root, middle]
    assert ancestors(dbsession, root) == []


def test_responsible_users_are_inherited_from_the_nearest_ancestor(
    dbsession, factory, project, count_queries
):
    supervisor, lead = factory.user(), factory.user()
    sequence = factory.task("Sequence", project=project, responsible=[supervisor])
    shot = factory.task("Shot", parent=sequence, responsible=[lead])
    animation = factory.task(parent=shot)
    layout = factory.task(parent=sequence)
    orphan = factory.task(project=project)
    with count_queries() as counter:
        found = responsible_users(dbsession, [animation, layout, shot, orphan])
    assert counter.count == 1
    assert found == {
        animation.id: [lead],
        layout.id: [supervisor],
        shot.id: [lead],
        orphan.id: [],
    }
    assert animation.responsible == []
