"""The create page of every kind of task (asset, sequence, scene, shot...) through the form."""

import pytest
from sqlalchemy import func, select

from stalker_web.models import Task

from ...conftest import login
from ...factories.projects import member
from ...pages import csrf_token


@pytest.fixture
def project(factory):
    return factory.project(name="Film")


@pytest.fixture
def producer_app(testapp, factory, project):
    """Logged in as a member of ``project`` holding the Producer role."""
    login(testapp, member(project, factory.user(), factory.role("Producer")).login)
    return testapp


def new_url(project, **query) -> str:
    suffix = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/projects/{project.id}/tasks/new" + (f"?{suffix}" if suffix else "")


def task_count(dbsession, project) -> int:
    return dbsession.scalar(select(func.count(Task.id)).where(Task.project_id == project.id))


def field_errors(page, name: str) -> str:
    """The error list rendered under the field ``name``."""
    errors = page.html.find(id=f"{name}-errors")
    return errors.get_text(" ", strip=True) if errors else ""


def test_a_producer_creates_a_root_task(producer_app, dbsession, project):
    page = producer_app.get(new_url(project))
    assert "a root task of Film" in page.html.find(id="parent-place").get_text()
    form = page.forms["task-form"]
    form["name"], form["priority"], form["schedule_timing"] = "Layout", "700", "3"
    form["schedule_unit"], form["schedule_model"] = "d", "length"
    form["description"] = "  Block the shots  "
    response = form.submit(status=303)
    task = dbsession.scalars(select(Task).where(Task.name == "Layout")).one()
    assert response.location.endswith(f"/tasks/{task.id}")
    assert (task.entity_type, task.parent, task.project) == ("Task", None, project)
    assert (task.priority, task.schedule_timing, task.schedule_unit) == (700, 3.0, "d")
    assert (task.schedule_model, task.description) == ("length", "Block the shots")
    # A blank bid is the schedule timing.
    assert (task.bid_timing, task.bid_unit) == (3.0, "d")
    assert f"Task {project.code} / Layout created." in response.follow().text


def test_parent_and_kind_are_preselected_from_the_query(producer_app, factory, dbsession, project):
    sequence = factory.task("Sequence", project=project, name="Opening", code="SEQ01")
    page = producer_app.get(new_url(project, parent=sequence.id, kind="Shot"))
    assert page.html.find(id="parent-place").strong.get_text() == f"{project.code} / Opening"
    form = page.forms["task-form"]
    assert (form["kind"].value, form["parent"].value) == ("Shot", str(sequence.id))
    form["code"] = "SH010"
    form.submit(status=303)
    shot = dbsession.scalars(select(Task).where(Task.code == "SH010")).one()
    # A shot left without a name is named after its code.
    assert (shot.entity_type, shot.parent, shot.name) == ("Shot", sequence, "SH010")


def test_the_parent_is_shown_as_its_path_of_names(producer_app, factory, project):
    assets = factory.task(project=project, name="Assets")
    characters = factory.task(parent=assets, name="Characters")
    page = producer_app.get(new_url(project, parent=characters.id))
    assert (
        page.html.find(id="parent-place").strong.get_text()
        == f"{project.code} / Assets / Characters"
    )


def test_an_asset_takes_a_type_meant_for_assets(producer_app, factory, dbsession, project):
    prop = factory.task_type("Asset", "Prop")
    factory.task_type("Shot", "Action")
    page = producer_app.get(new_url(project, kind="Asset"))
    groups = [group["label"] for group in page.html.find(id="type")("optgroup")]
    assert "Asset types" in groups and "Shot types" in groups
    form = page.forms["task-form"]
    form["name"], form["code"], form["type"] = "Sword", "SWD", str(prop.id)
    form["bid_timing"], form["bid_unit"] = "2", "d"
    form.submit(status=303)
    asset = dbsession.scalars(select(Task).where(Task.code == "SWD")).one()
    assert (asset.entity_type, asset.type, asset.bid_timing, asset.bid_unit) == (
        "Asset",
        prop,
        2.0,
        "d",
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "A name is required."),
        ({"kind": "Sequence"}, "code", "A code is required."),
        (
            {"kind": "Asset", "code": "HERO"},
            "type",
            "An asset needs a type (Character, Prop, ...).",
        ),
        ({"kind": "Bogus"}, "kind", "Unknown kind of task: Bogus."),
        ({"priority": "1001"}, "priority", "The priority is a whole number from 0 to 1000."),
        ({"priority": "high"}, "priority", "The priority is a whole number from 0 to 1000."),
        ({"schedule_timing": "soon"}, "schedule_timing", "Enter a number such as 2 or 0.5."),
        (
            {"schedule_timing": "-1"},
            "schedule_timing",
            "The schedule timing must be a number of zero or more.",
        ),
        ({"schedule_unit": "fortnight"}, "schedule_unit", "The schedule unit must be one of"),
        ({"bid_timing": "lots"}, "bid_timing", "Enter a number such as 2 or 0.5."),
        ({"name": "x" * 257}, "name", "Field cannot be longer than 256 characters."),
    ],
)
def test_bad_input_is_refused_under_its_field(
    producer_app, dbsession, project, changes, field, message
):
    form = producer_app.get(new_url(project)).forms["task-form"]
    form["name"] = "Layout"
    for key, value in changes.items():
        if key in ("kind", "schedule_unit"):  # values the page does not offer
            form[key].force_value(value)
        else:
            form[key] = value
    page = form.submit(status=400)
    assert message in field_errors(page, field)
    assert task_count(dbsession, project) == 0


def test_a_type_for_another_kind_is_refused(producer_app, factory, dbsession, project):
    character = factory.task_type("Asset", "Character")
    form = producer_app.get(new_url(project)).forms["task-form"]
    form["name"], form["type"] = "Layout", str(character.id)
    page = form.submit(status=400)
    assert "The type Character is for Asset entities, not Task." in field_errors(page, "type")
    assert task_count(dbsession, project) == 0


def test_a_shot_code_is_unique_in_its_project(producer_app, factory, dbsession, project):
    factory.task("Shot", project=project, code="SH010")
    form = producer_app.get(new_url(project, kind="Shot")).forms["task-form"]
    form["code"] = "sh010"
    page = form.submit(status=400)
    assert "Shot code sh010 is already used in project Film." in field_errors(page, "code")
    assert task_count(dbsession, project) == 1


def test_a_parent_with_resources_cannot_get_children(producer_app, factory, dbsession, project):
    animation = factory.task(project=project, name="Animation", resources=[factory.user()])
    form = producer_app.get(new_url(project, parent=animation.id)).forms["task-form"]
    form["name"] = "Blocking"
    page = form.submit(status=400)
    assert "Animation has resources: remove them before giving it child tasks" in field_errors(
        page, "parent"
    )
    assert task_count(dbsession, project) == 1


def test_a_parent_of_another_project_is_refused(producer_app, factory, dbsession, project):
    elsewhere = factory.task(project=factory.project(), name="Elsewhere")
    page = producer_app.get(new_url(project, parent=elsewhere.id))
    assert "Elsewhere is in another project" in field_errors(page, "parent")
    form = page.forms["task-form"]
    form["name"] = "Sneaky"
    page = form.submit(status=400)
    assert "Elsewhere is in another project" in field_errors(page, "parent")
    assert dbsession.scalars(select(Task).where(Task.name == "Sneaky")).first() is None


def test_a_studio_wide_create_task_right_is_enough(testapp, factory, dbsession, project):
    login(testapp, factory.user_allowed("Create_Task").login)
    form = testapp.get(new_url(project)).forms["task-form"]
    form["name"] = "Lighting"
    form.submit(status=303)
    assert task_count(dbsession, project) == 1


@pytest.mark.parametrize("role", [None, "Artist"])
def test_members_without_a_manager_role_and_outsiders_are_refused(
    testapp, factory, dbsession, project, role
):
    user = factory.user()
    if role is not None:
        member(project, user, factory.role(role))
    login(testapp, user.login)
    testapp.get(new_url(project), status=403)
    testapp.post(new_url(project), {"csrf_token": csrf_token(testapp), "name": "X"}, status=403)
    assert task_count(dbsession, project) == 0
