"""Bulk changes of the production board: every ticked task changes, or none does."""

import pytest

from stalker_web.models import ProjectUser
from stalker_web.services.board import bulk
from stalker_web.services.errors import ValidationError
from stalker_web.services.transactions import savepoint
from stalker_web.services.workflow import actions

from ...factories.accounts import cheap_users
from .builders import board_project


@pytest.fixture
def built(factory):
    return board_project(factory, scale=2)


def animations(built) -> list:
    return [built.cells[(shot.id, "Animation")] for shot in built.shots]


def start_work(dbsession, tasks) -> None:
    for task in tasks:
        actions.set_status(dbsession, task, "WIP")
    dbsession.flush()


def test_assign_makes_the_chosen_member_the_resource_of_every_task(dbsession, built):
    tasks = bulk.chosen_tasks(dbsession, built.project, [t.id for t in animations(built)])
    summary = bulk.assign(dbsession, built.project, tasks, [built.users[1].id])
    assert summary == f"Assigned {built.users[1].name} to 4 tasks."
    assert all(task.resources == [built.users[1]] for task in animations(built))


def test_assign_refuses_people_off_the_team(dbsession, built):
    (outsider,) = cheap_users(dbsession, 1)
    tasks = bulk.chosen_tasks(dbsession, built.project, [animations(built)[0].id])
    with pytest.raises(ValidationError, match="not on the team"):
        bulk.assign(dbsession, built.project, tasks, [outsider.id])


def test_assign_refuses_a_container_and_changes_nothing(dbsession, built):
    shot, animation = built.shots[0], animations(built)[1]
    tasks = bulk.chosen_tasks(dbsession, built.project, [shot.id, animation.id])
    with pytest.raises(bulk.BulkRefused) as refused, savepoint(dbsession):
        bulk.assign(dbsession, built.project, tasks, [built.users[1].id])
    (refusal,) = refused.value.refusals
    assert refusal.path.endswith(f" / {shot.name}")
    assert refusal.path.startswith(built.project.code + " / ")
    assert "has child tasks" in refusal.message
    dbsession.expire_all()
    assert animation.resources == [built.users[0]]


def test_stop_refuses_tasks_the_workflow_does_not_allow_and_keeps_the_others(dbsession, built):
    first, second, *_ = animations(built)
    start_work(dbsession, [first])
    tasks = bulk.chosen_tasks(dbsession, built.project, [first.id, second.id])
    with pytest.raises(bulk.BulkRefused) as refused, savepoint(dbsession):
        bulk.apply_action(dbsession, tasks, "stop")
    (refusal,) = refused.value.refusals
    assert str(refusal).startswith(
        f"{built.project.code} / {built.sequences[0].name} / {built.shots[1].name} / Animation: "
    )
    assert "can be stopped" in refusal.message
    dbsession.expire_all()
    assert first.status.code == "WIP"


def test_hold_then_resume_every_task(dbsession, built):
    tasks = animations(built)
    start_work(dbsession, tasks)
    chosen = bulk.chosen_tasks(dbsession, built.project, [task.id for task in tasks])
    assert bulk.apply_action(dbsession, chosen, "hold") == "Put 4 tasks on hold."
    assert {task.status.code for task in tasks} == {"OH"}
    assert bulk.apply_action(dbsession, chosen, "resume") == "Resumed 4 tasks."
    assert {task.status.code for task in tasks} == {"RTS"}  # no time logged yet


def test_priority_and_effort(dbsession, built):
    tasks = bulk.chosen_tasks(dbsession, built.project, [t.id for t in animations(built)])
    assert bulk.set_priority(dbsession, tasks, 800) == "Set the priority of 4 tasks to 800."
    assert bulk.set_effort(dbsession, tasks, 3, "d") == "Set the effort of 4 tasks to 3 d."
    assert {(t.priority, t.schedule_timing, t.schedule_unit.value) for t in tasks} == {
        (800, 3.0, "d")
    }


def test_tasks_of_another_project_are_refused(dbsession, factory, built):
    other = factory.task()
    with pytest.raises(ValidationError, match="no longer in this project"):
        bulk.chosen_tasks(dbsession, built.project, [other.id])
    with pytest.raises(ValidationError, match="Tick the cells"):
        bulk.chosen_tasks(dbsession, built.project, [])


def test_an_unknown_action_is_refused(dbsession, built):
    with pytest.raises(ValidationError, match="hold, stop or resume"):
        bulk.apply_action(dbsession, animations(built), "delete")


def test_members_only(dbsession, built):
    (newcomer,) = cheap_users(dbsession, 1)
    built.project.members.append(ProjectUser(user=newcomer))
    dbsession.flush()
    tasks = bulk.chosen_tasks(dbsession, built.project, [animations(built)[0].id])
    assert bulk.assign(dbsession, built.project, tasks, [newcomer.id]).startswith("Assigned")
