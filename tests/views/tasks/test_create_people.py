"""People on the create page: the pickers, typed logins, a pipeline step's defaults, refusals
under their field, and a page that never lists every user."""

import pytest
from sqlalchemy import select

from stalker_web.models import PipelineStep, Task

from ...conftest import login
from ...factories.accounts import cheap_users
from ...factories.projects import member


@pytest.fixture
def project(factory):
    return factory.project(name="Film")


@pytest.fixture
def producer_app(testapp, factory, project):
    login(testapp, member(project, factory.user("pat", name="Pat"), factory.role("Producer")).login)
    return testapp


@pytest.fixture
def team(factory, project):
    """Ann and Bob, artists of the project; Lee, who leads the Animation department."""
    lead = factory.role("Lead", manages_department=True)
    ann = member(project, factory.user("ann", name="Ann"))
    bob = member(project, factory.user("bob", name="Bob"))
    lee = member(project, factory.user("lee", name="Lee"))
    department = factory.department("Animation", members=[ann, (lee, lead)])
    return {"ann": ann, "bob": bob, "lee": lee, "animation": department}


@pytest.fixture
def animating(dbsession, factory, team):
    kind = factory.task_type("Task", "Animation")
    dbsession.add(
        PipelineStep(
            type=kind,
            department=team["animation"],
            default_schedule_timing=3,
            default_schedule_unit="d",
        )
    )
    dbsession.flush()
    return kind


def new_url(project) -> str:
    return f"/projects/{project.id}/tasks/new"


def field_errors(page, name: str) -> str:
    errors = page.html.find(id=f"{name}-errors")
    return errors.get_text(" ", strip=True) if errors else ""


def created(dbsession, name: str) -> Task:
    return dbsession.scalars(select(Task).where(Task.name == name)).one()


def test_the_create_page_has_a_picker_per_place(producer_app, project, team):
    page = producer_app.get(new_url(project))
    for name in ("resources", "alternative_resources", "responsible"):
        picker = page.html.find(id=f"{name}-picker")
        assert picker["data-search-url"] == "http://example.com/users/search.json"
        assert picker["data-project-id"] == str(project.id)
        assert page.forms["task-form"][f"{name}_logins"].value == ""
    assert page.html.find(id="watchers-picker") is None


def test_typed_logins_become_the_tasks_people(producer_app, dbsession, project, team):
    form = producer_app.get(new_url(project)).forms["task-form"]
    form["name"], form["schedule_timing"] = "Layout", "2"
    form["resources_logins"], form["alternative_resources_logins"] = "ann, BOB", "lee"
    form["responsible_logins"] = "pat"
    form.submit(status=303)
    task = created(dbsession, "Layout")
    assert [user.name for user in task.resources] == ["Ann", "Bob"]
    assert [user.name for user in task.alternative_resources] == ["Lee"]
    assert [user.name for user in task.responsible] == ["Pat"]


def test_ticked_people_are_posted_as_ids(producer_app, dbsession, project, team):
    page = producer_app.get(new_url(project))
    form = page.forms["task-form"]
    form["name"] = "Paint"
    response = producer_app.post(
        new_url(project),
        [
            *form.submit_fields(),
            ("resources", str(team["ann"].id)),
            ("resources", str(team["bob"].id)),
        ],
        status=303,
    )
    assert response.location.endswith(f"/tasks/{created(dbsession, 'Paint').id}")
    assert [user.name for user in created(dbsession, "Paint").resources] == ["Ann", "Bob"]


def test_a_step_type_brings_its_effort_and_its_lead(producer_app, dbsession, project, animating):
    page = producer_app.get(new_url(project))
    option = page.html.find("option", value=str(animating.id))
    assert (option["data-timing"], option["data-unit"]) == ("3", "d")
    form = page.forms["task-form"]
    form["name"], form["type"], form["resources_logins"] = "Anim", str(animating.id), "ann"
    form.submit(status=303)
    task = created(dbsession, "Anim")
    assert (task.schedule_timing, task.schedule_unit, task.bid_timing) == (3.0, "d", 3.0)
    assert [user.name for user in task.responsible] == ["Lee"]


def test_an_unknown_login_is_refused_under_its_picker_and_kept(
    producer_app, dbsession, project, team
):
    form = producer_app.get(new_url(project)).forms["task-form"]
    form["name"], form["resources_logins"] = "Layout", "ann, bob2"
    page = form.submit(status=400)
    assert field_errors(page, "resources") == "No active user with the login 'bob2'."
    assert page.forms["task-form"]["resources_logins"].value == "ann, bob2"
    assert dbsession.scalars(select(Task).where(Task.name == "Layout")).first() is None


def test_a_milestone_with_resources_is_refused_under_the_resources(producer_app, project, team):
    form = producer_app.get(new_url(project)).forms["task-form"]
    form["name"], form["is_milestone"], form["resources_logins"] = "Delivery", True, "ann"
    page = form.submit(status=400)
    assert "A milestone has no resources." in field_errors(page, "resources")


def test_a_refused_post_shows_the_ticked_people_again(producer_app, project, team):
    page = producer_app.get(new_url(project))
    form = page.forms["task-form"]
    form["name"], form["responsible_logins"] = "Layout", "nobody"
    page = producer_app.post(
        new_url(project), [*form.submit_fields(), ("resources", str(team["bob"].id))], status=400
    )
    chosen = page.html.find(id="resources-chosen")
    assert [box["value"] for box in chosen("input", checked=True)] == [str(team["bob"].id)]
    assert "Bob" in chosen.get_text()


def test_strangers_cannot_be_given_the_task(producer_app, factory, project, team):
    factory.user("stranger", name="Stranger")
    form = producer_app.get(new_url(project)).forms["task-form"]
    form["name"], form["resources_logins"] = "Layout", "stranger"
    page = form.submit(status=400)
    assert "Stranger is not on the team of Film" in field_errors(page, "resources")


def test_the_page_never_lists_the_studio(producer_app, dbsession, project, team, queries_of):
    few = queries_of(producer_app, new_url(project))
    crowd = cheap_users(dbsession, 200)
    for user in crowd[:100]:
        member(project, user)
    dbsession.flush()
    page = producer_app.get(new_url(project))
    assert crowd[0].name not in page.text
    assert queries_of(producer_app, new_url(project)) == few
