"""The demo studio and the large benchmark studio: their shape, their rules and their guards."""

from collections import Counter

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from stalker_web.models import Department, Group, Project, Task, TaskDependency, Type, User
from stalker_web.services.accounts.passwords import verify_password
from stalker_web.services.errors import ValidationError
from stalker_web.services.pipeline.steps import board_steps
from stalker_web.services.studio.demo import DEMO_PASSWORD, load_demo
from stalker_web.services.studio.large import generate_large_studio
from stalker_web.services.studio.seed import PIPELINE_ORDER, STEP_DEPARTMENT, TYPE_COLOURS
from stalker_web.services.tasks.commands import status_code_for
from stalker_web.services.workflow.rules import container_code

DEMO_CODES = ("LHK", "FIZZ", "LIB")
LARGE_CODES = tuple(f"BIG{number}" for number in range(1, 6))


def tasks_of(dbsession, codes) -> list[Task]:
    return list(
        dbsession.scalars(
            select(Task)
            .join(Project, Project.id == Task.project_id)
            .where(Project.code.in_(codes))
            .options(
                selectinload(Task.resources).selectinload(User.department_memberships),
                selectinload(Task.task_depends_on)
                .selectinload(TaskDependency.depends_on)
                .selectinload(Task.status),
                selectinload(Task.status),
                selectinload(Task.children).selectinload(Task.status),
                selectinload(Task.time_logs),
            )
        )
    )


def assert_tree_rules(tasks: list[Task]) -> None:
    """Paths, resources, dependencies and statuses as the task services and workflow keep them."""
    by_id = {task.id: task for task in tasks}
    for task in tasks:
        parent_path = by_id[task.parent_id].path if task.parent_id else "/"
        assert task.path == f"{parent_path}{task.id}/"
        upstream = [dependency.depends_on for dependency in task.task_depends_on]
        for other in upstream:
            assert other.project_id == task.project_id
            assert other.id != task.id
            assert other.id not in task.ancestor_ids
            assert task.id not in other.ancestor_ids
        if task.children:
            assert task.status.code == container_code(child.status.code for child in task.children)
        elif task.time_logs:
            assert task.status.code == "WIP"
        else:
            assert task.status.code == status_code_for(other.status.code for other in upstream)
        if task.children:
            assert task.resources == []
        else:
            assert len(task.resources) == 1
    assert_no_loop(tasks)


def assert_no_loop(tasks: list[Task]) -> None:
    """A topological sort of the dependency graph takes every task (Kahn's algorithm)."""
    waiting = {task.id: len(task.task_depends_on) for task in tasks}
    dependents: dict[int, list[int]] = {}
    for task in tasks:
        for dependency in task.task_depends_on:
            dependents.setdefault(dependency.depends_on_id, []).append(task.id)
    ready = [task_id for task_id, number in waiting.items() if number == 0]
    sorted_count = 0
    while ready:
        sorted_count += 1
        for dependent in dependents.get(ready.pop(), []):
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                ready.append(dependent)
    assert sorted_count == len(tasks)


def count(dbsession, model, *where) -> int:
    return dbsession.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def demo(dbsession):
    return load_demo(dbsession)


def test_demo_studio_has_three_projects_with_a_team(dbsession, demo):
    assert [project.code for project in demo.projects] == list(DEMO_CODES)
    assert len(demo.users) == 26
    assert all(not user.must_change_password for user in demo.users)
    assert verify_password(demo.users[0].password_hash, DEMO_PASSWORD)
    assert {user.login for user in demo.users} >= {"modeling1", "animation7", "production3"}
    names = set(dbsession.scalars(select(Department.name)))
    assert names >= {"Modeling", "Rigging", "Animation", "Lighting", "Compositing", "Production"}
    groups = {group.name: group for group in dbsession.scalars(select(Group))}
    assert len(groups["Producers"].users) == 3 and len(groups["Artists"].users) == 23
    assert {row.action for row in groups["Producers"].permissions} == {
        "List",
        "Create",
        "Read",
        "Update",
        "Delete",
    }
    producer_rights = {row.permission_name for row in groups["Producers"].permissions}
    assert {"List_ScheduleRun", "Create_ScheduleRun", "List_Vacation"} <= producer_rights
    assert {row.action for row in groups["Artists"].permissions} == {"Read"}
    film = demo.projects[0]
    assert len(film.members) == 26
    assert film.members[0].role.name == "Lead"


def test_demo_studio_has_assets_shots_and_steps(dbsession, demo):
    tasks = tasks_of(dbsession, DEMO_CODES)
    assert demo.task_count == len(tasks) == 285
    kinds = Counter(task.entity_type for task in tasks)
    assert kinds == {"Asset": 24, "Sequence": 5, "Shot": 38, "Task": 218}
    steps = Counter(task.name for task in tasks if task.entity_type == "Task")
    assert steps["Layout"] == steps["Comp"] == 38
    assert steps["Model"] == 24 and steps["Rig"] == 18
    for task in tasks:
        if task.entity_type == "Task":
            (resource,) = task.resources
            departments = {m.department.name for m in resource.department_memberships}
            assert STEP_DEPARTMENT[task.name] in departments


def test_demo_studio_keeps_every_tree_and_dependency_rule(dbsession, demo):
    tasks = tasks_of(dbsession, DEMO_CODES)
    assert_tree_rules(tasks)
    steps = [task for task in tasks if task.entity_type == "Task"]
    first_steps = [task for task in steps if task.name in ("Model", "Layout")]
    assert {task.status.code for task in first_steps} == {"RTS", "WIP"}
    assert all(task.status.code == "WIP" for task in first_steps if task.time_logs)
    assert {task.status.code for task in steps if task not in first_steps} == {"WFD"}
    for shot_animation in (t for t in tasks if t.name == "Animation"):
        names = sorted(dep.depends_on.name for dep in shot_animation.task_depends_on)
        assert names[0] == "Layout" and 2 <= len(names) <= 4 and set(names[1:]) == {"Rig"}


def test_loading_the_demo_twice_changes_nothing(dbsession, demo):
    before = (count(dbsession, Task), count(dbsession, User), count(dbsession, TaskDependency))
    assert load_demo(dbsession) is None
    assert (count(dbsession, Task), count(dbsession, User), count(dbsession, TaskDependency)) == (
        before
    )


def test_large_studio_at_a_small_scale_keeps_the_proportions(dbsession):
    studio = generate_large_studio(dbsession, scale=0.01)
    assert (studio.users, studio.departments, studio.projects) == (20, 10, 5)
    tasks = tasks_of(dbsession, LARGE_CODES)
    kinds = Counter(task.entity_type for task in tasks)
    assert kinds == {"Asset": 20, "Shot": 20, "Sequence": 5, "Task": 20 * 3 + 20 * 4}
    assert studio.assets == studio.shots == 20
    assert studio.tasks == len(tasks) == 20 * 4 + 5 + 20 * 5
    assert studio.dependencies == count(dbsession, TaskDependency) == 20 * 2 + 20 * 5
    assert_tree_rules(tasks)
    users = dbsession.scalars(select(User).where(User.login.like("big%"))).all()
    assert len(users) == 20 and not any(user.must_change_password for user in users)


def test_large_studio_refuses_to_be_generated_twice(dbsession):
    generate_large_studio(dbsession, scale=0.01)
    with pytest.raises(ValidationError, match="already"):
        generate_large_studio(dbsession, scale=0.01)


def test_large_studio_refuses_a_scale_of_zero(dbsession):
    with pytest.raises(ValidationError, match="more than zero"):
        generate_large_studio(dbsession, scale=0)


def test_the_demo_refuses_to_load_over_a_user_with_a_demo_login(dbsession, factory):
    factory.user("animation2")
    with pytest.raises(ValidationError, match="animation2 is already used"):
        load_demo(dbsession)


def test_demo_steps_have_colours_pipeline_order_departments_and_efforts(dbsession, demo):
    steps = dbsession.scalars(
        select(Type)
        .where(Type.target_entity_type == "Task", Type.name.in_(PIPELINE_ORDER))
        .order_by(Type.position, Type.name)
    ).all()
    assert [step.name for step in steps] == list(PIPELINE_ORDER)
    assert [step.name for step in steps] == [
        "Model", "Rig", "Shading", "Layout", "Animation", "Lighting", "Comp"
    ]  # fmt: skip
    for step in steps:
        assert step.color is not None
        assert step.step.department.name == STEP_DEPARTMENT[step.name]
        assert step.step.default_schedule_timing > 0
    kinds = dbsession.scalars(select(Type).where(Type.target_entity_type.in_(("Asset", "Project"))))
    assert all(kind.color for kind in kinds if kind.name in TYPE_COLOURS)


def test_demo_projects_have_their_board_columns(dbsession, demo):
    film = dbsession.scalars(select(Project).where(Project.code == "LHK")).one()
    assert [step.name for step in board_steps(dbsession, film, "Shot")] == [
        "Layout", "Animation", "Lighting", "Comp"
    ]  # fmt: skip
    assert [step.name for step in board_steps(dbsession, film, "Asset")] == [
        "Model", "Rig", "Shading"
    ]  # fmt: skip


def test_large_studio_steps_belong_to_its_own_departments(dbsession):
    generate_large_studio(dbsession, scale=0.01)
    shading = dbsession.scalars(
        select(Type).where(Type.target_entity_type == "Task", Type.name == "Shading")
    ).one()
    assert shading.step.department.name == "Texturing"
    project = dbsession.scalars(select(Project).where(Project.code == "BIG1")).one()
    assert len(board_steps(dbsession, project, "Shot")) == 4
