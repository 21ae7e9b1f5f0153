"""New tasks with their people, and what a pipeline step gives them by default."""

import pytest

from stalker_web.models import PipelineStep
from stalker_web.services.accounts.user_search import Picked
from stalker_web.services.errors import ValidationError
from stalker_web.services.tasks.staffing import create_staffed_task, step_defaults

from ...factories.projects import member


@pytest.fixture
def project(factory):
    return factory.project(name="Film")


@pytest.fixture
def animation(factory, project):
    """The Animation department: Lee leads it (a managing role), Ann works in it; both on the
    project. Kim leads it too but is not on the project."""
    lead = factory.role("Lead", manages_department=True)
    lee = member(project, factory.user("lee", name="Lee"))
    ann = member(project, factory.user("ann", name="Ann"))
    kim = factory.user("kim", name="Kim")
    return factory.department("Animation", members=[(lee, lead), ann, (kim, lead)])


@pytest.fixture
def animating(dbsession, factory, animation):
    """The Animation step: the Animation department, 3 days of effort by default."""
    kind = factory.task_type("Task", "Animation")
    dbsession.add(
        PipelineStep(
            type=kind, department=animation, default_schedule_timing=3, default_schedule_unit="d"
        )
    )
    dbsession.flush()
    return kind


def create(dbsession, project, kind=None, **values):
    picked = {
        name: Picked(logins=values.pop(name))
        for name in ("resources", "alternative_resources", "responsible")
        if name in values
    }
    values.setdefault("schedule_timing", None)
    return create_staffed_task(
        dbsession,
        "Task",
        project=project,
        parent=None,
        type=kind,
        picked=picked,
        name="Anim",
        **values,
    )


def test_a_step_gives_its_effort_and_its_leads_as_responsible(dbsession, project, animating):
    task = create(dbsession, project, animating, resources="ann")
    assert (task.schedule_timing, task.schedule_unit) == (3.0, "d")
    assert [person.login for person in task.resources] == ["ann"]
    # Kim leads the department but is not on the project: only the team is responsible.
    assert [person.login for person in task.responsible] == ["lee"]


def test_what_the_form_chose_wins_over_the_step(dbsession, project, animating):
    task = create(
        dbsession, project, animating, responsible="ann", schedule_timing=5, schedule_unit="h"
    )
    assert (task.schedule_timing, task.schedule_unit) == (5.0, "h")
    assert [person.login for person in task.responsible] == ["ann"]


def test_without_a_step_a_blank_timing_is_one_hour_and_nobody_is_responsible(
    dbsession, factory, project, animation
):
    task = create(dbsession, project, factory.task_type("Task", "Misc"), schedule_unit="d")
    assert (task.schedule_timing, task.schedule_unit, task.responsible) == (1.0, "d", [])


def test_resources_must_be_on_the_team_as_on_the_edit_page(dbsession, project, animation):
    with pytest.raises(ValidationError, match="Kim is not on the team of Film") as error:
        create(dbsession, project, resources="ann, kim")
    assert error.value.field == "resources"


def test_a_milestone_gets_no_resources(dbsession, project, animation):
    with pytest.raises(ValidationError, match="A milestone has no resources") as error:
        create(dbsession, project, resources="ann", is_milestone=True)
    assert error.value.field == "resources"


def test_deactivated_people_are_refused(dbsession, factory, project, animation):
    ann = next(person for person in project.members if person.user.login == "ann").user
    ann.is_active = False
    dbsession.flush()
    with pytest.raises(ValidationError, match="Ann can no longer log in"):
        create_staffed_task(
            dbsession,
            "Task",
            project=project,
            parent=None,
            type=None,
            picked={"alternative_resources": Picked((ann.id,))},
            name="Anim",
            schedule_timing=1,
        )


def test_step_defaults_take_two_queries_for_any_number_of_steps(
    dbsession, factory, project, animation, count_queries
):
    kinds = [factory.task_type("Task", f"Step {number}") for number in range(10)]
    for kind in kinds:
        dbsession.add(PipelineStep(type=kind, department=animation))
    dbsession.flush()
    with count_queries() as counter:
        steps = step_defaults(dbsession, [kind.id for kind in kinds], project)
    assert counter.count == 2
    assert {tuple(user.login for user in step.managers) for step in steps.values()} == {("lee",)}
