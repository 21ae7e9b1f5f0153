"""People per step on the shot range and template pages: resources and responsible given to every
created step task, the step department's leads by default, all or nothing."""

import pytest
from sqlalchemy import func, select

from stalker_web.models import PipelineStep, Shot, Task
from stalker_web.services.accounts.user_search import Picked
from stalker_web.services.breakdown.bulk_creation import (
    ChildTask,
    StepPeople,
    create_child_tasks,
)
from stalker_web.services.errors import ValidationError

from ...conftest import login
from ...factories.projects import member

SHOT_STEPS = ("Layout", "Animation", "Lighting", "Comp")


@pytest.fixture
def project(factory):
    return factory.project(name="Breakdown", code="BRK")


@pytest.fixture
def sequence(factory, project):
    return factory.task("Sequence", project=project, code="SQ010", name="Opening")


@pytest.fixture
def team(dbsession, factory, project):
    """Ann and Bob animate, Lee leads Animation (the Animation step's department)."""
    lead = factory.role("Lead", manages_department=True)
    people = {
        login: member(project, factory.user(login, name=login.capitalize()))
        for login in ("ann", "bob", "lee")
    }
    animation = factory.department(
        "Animation", members=[people["ann"], people["bob"], (people["lee"], lead)]
    )
    for name in SHOT_STEPS:
        kind = factory.task_type("Task", name)
        if name == "Animation":
            dbsession.add(PipelineStep(type=kind, department=animation))
    dbsession.flush()
    return people


@pytest.fixture
def manager_app(testapp, factory, project):
    login(testapp, member(project, factory.user(), factory.role("Producer")).login)
    return testapp


def range_url(project) -> str:
    return f"/projects/{project.id}/shots/new-range"


def template_url(project) -> str:
    return f"/projects/{project.id}/tasks/from-template"


def step_tasks(dbsession, project, name: str) -> list[Task]:
    return list(
        dbsession.scalars(
            select(Task).where(Task.project_id == project.id, Task.name == name).order_by(Task.id)
        )
    )


def range_form(app, project, sequence):
    form = app.get(range_url(project)).forms["shot-range-form"]
    form["sequence"], form["start"], form["end"], form["template"] = (
        str(sequence.id),
        "10",
        "30",
        "Shot",
    )
    return form


def test_the_range_page_offers_a_resources_and_responsible_picker_per_step(
    manager_app, project, sequence, team
):
    page = manager_app.get(range_url(project))
    rows = page.html.select("#step-people .step-people-row")
    assert [row.h3.get_text() for row in rows] == list(SHOT_STEPS)
    animation = page.html.find(id="step-people-1")
    assert animation.find(id="step1_resources-picker")["data-department-id"]
    assert "Left empty: Lee, who leads the step's department." in animation.get_text(
        " ", strip=True
    )


def test_a_range_gives_every_step_task_its_people(manager_app, dbsession, project, sequence, team):
    form = range_form(manager_app, project, sequence)
    form["step1_resources_logins"] = "ann, bob"
    form["step0_responsible_logins"] = "ann"
    form.submit(status=303)
    animations = step_tasks(dbsession, project, "Animation")
    assert len(animations) == 3
    for task in animations:
        assert [user.name for user in task.resources] == ["Ann", "Bob"]
        # Nobody chosen: the Animation department's lead.
        assert [user.name for user in task.responsible] == ["Lee"]
    for task in step_tasks(dbsession, project, "Layout"):
        assert ([user.name for user in task.responsible], task.resources) == (["Ann"], [])


def test_ticked_step_people_are_posted_as_ids(manager_app, dbsession, project, sequence, team):
    form = range_form(manager_app, project, sequence)
    fields = [*form.submit_fields(), ("step3_resources", str(team["bob"].id))]
    manager_app.post(range_url(project), fields, status=303)
    assert {tuple(t.resources) for t in step_tasks(dbsession, project, "Comp")} == {(team["bob"],)}


def test_a_refused_step_picker_creates_nothing_and_says_where(
    manager_app, dbsession, factory, project, sequence, team
):
    factory.user("stranger", name="Stranger")
    form = range_form(manager_app, project, sequence)
    form["step1_resources_logins"] = "ann"
    form["step2_resources_logins"] = "stranger"
    page = form.submit(status=400)
    errors = page.html.find(id="step2_resources-errors").get_text(" ", strip=True)
    assert "Stranger is not on the team of Breakdown" in errors
    assert page.forms["shot-range-form"]["step1_resources_logins"].value == "ann"
    count = select(func.count()).where(Shot.project_id == project.id)
    assert dbsession.scalar(count) == 0


def test_people_need_standard_tasks(manager_app, dbsession, project, sequence, team):
    form = range_form(manager_app, project, sequence)
    form["template"], form["step1_resources_logins"] = "", "ann"
    page = form.submit(status=400)
    assert "Choose the standard child tasks to give people to." in page.text


def test_the_template_page_shows_the_chosen_templates_steps(manager_app, project, team):
    page = manager_app.get(template_url(project))
    assert page.html.find(id="step-people") is None
    form = page.forms["template-form"]
    form["template"] = "Shot"
    page = form.submit("people", status=200)
    assert [row.h3.get_text() for row in page.html.select(".step-people-row")] == list(SHOT_STEPS)


def test_the_template_page_gives_the_new_tasks_their_people(
    manager_app, dbsession, factory, project, sequence, team
):
    factory.task("Shot", project=project, parent=sequence, code="SH010")
    form = manager_app.get(template_url(project), {"template": "Shot"}).forms["template-form"]
    form["parents"], form["step1_resources_logins"] = "shots", "bob"
    form.submit(status=303)
    (animation,) = step_tasks(dbsession, project, "Animation")
    assert ([u.name for u in animation.resources], [u.name for u in animation.responsible]) == (
        ["Bob"],
        ["Lee"],
    )


def test_people_for_a_task_the_template_lacks_are_refused(dbsession, factory, project, team):
    shot = factory.task("Shot", project=project, code="SH010")
    with pytest.raises(ValidationError, match="The template has no Paint task"):
        create_child_tasks(
            dbsession,
            [shot],
            [ChildTask("Layout", "Layout")],
            {"Paint": StepPeople(resources=Picked(logins="ann"))},
        )


def test_step_people_cost_the_same_queries_for_few_and_many_parents(
    dbsession, factory, project, team, count_queries
):
    template = [ChildTask("Layout", "Layout"), ChildTask("Animation", "Animation")]
    people = {"Animation": StepPeople(resources=Picked(logins="ann"))}

    def queries(count: int, staffing) -> int:
        shots = [factory.task("Shot", project=project) for _ in range(count)]
        dbsession.flush()
        with count_queries() as counter:
            create_child_tasks(dbsession, shots, template, staffing)
        return sum(
            statement.lstrip().upper().startswith("SELECT") for statement in counter.statements
        )

    # Choosing the people reads the same whether 1 or 10 shots get the tasks (writing the new
    # tasks' rows grows with them, as it does without people).
    assert queries(10, people) - queries(10, None) == queries(1, people) - queries(1, None)
