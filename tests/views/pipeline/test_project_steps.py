"""A project's board columns page: the default columns, choosing and ordering them, and who may."""

from stalker_web.models import ProjectUser
from stalker_web.services.pipeline.steps import board_steps

from ...conftest import login


def steps_of(factory, *names):
    kinds = {}
    for position, name in enumerate(names):
        kinds[name] = factory.task_type("Task", name)
        kinds[name].position = position * 10
    return kinds


def chosen(page, prefix: str) -> dict[str, str]:
    """The ticked steps of a list, with their order as shown."""
    fieldset = page.html.find("fieldset", id=f"{prefix}-columns")
    return {
        row.th.get_text(strip=True): row.find("input", type="number")["value"]
        for row in fieldset.tbody("tr")
        if row.find("input", type="checkbox").has_attr("checked")
    }


def test_the_page_shows_the_default_columns_from_the_projects_tasks(admin_app, factory):
    steps = steps_of(factory, "Model", "Layout", "Animation", "Comp")
    project = factory.project()
    shot = factory.task("Shot", project=project)
    factory.task(parent=shot, name="Animation", type=steps["Animation"])
    factory.task(parent=shot, name="Layout", type=steps["Layout"])
    page = admin_app.get(f"/projects/{project.id}/settings/steps")
    assert chosen(page, "shot") == {"Layout": "1", "Animation": "2"}
    assert chosen(page, "asset") == {}
    assert "Not chosen yet" in page.text


def test_choosing_and_ordering_columns_saves_them(admin_app, factory, dbsession):
    steps = steps_of(factory, "Model", "Rig", "Layout", "Animation", "Comp")
    project = factory.project()
    form = admin_app.get(f"/projects/{project.id}/settings/steps").forms["project-steps-form"]
    form.set("shot_steps", True, index=4)  # Comp
    form.set("shot_steps", True, index=3)  # Animation
    form[f"shot_order_{steps['Comp'].id}"] = "2"
    form[f"shot_order_{steps['Animation'].id}"] = "1"
    form.set("asset_steps", True, index=0)  # Model
    response = form.submit(status=303)
    assert "Board columns of" in response.follow().text
    assert [kind.name for kind in board_steps(dbsession, project, "Shot")] == ["Animation", "Comp"]
    assert [kind.name for kind in board_steps(dbsession, project, "Asset")] == ["Model"]
    page = response.follow()
    assert chosen(page, "shot") == {"Animation": "1", "Comp": "2"}


def test_a_malformed_step_id_is_refused(admin_app, factory, dbsession):
    steps_of(factory, "Layout")
    project = factory.project()
    page = admin_app.get(f"/projects/{project.id}/settings/steps")
    token = page.forms["project-steps-form"]["csrf_token"].value
    admin_app.post(
        f"/projects/{project.id}/settings/steps",
        {"csrf_token": token, "shot_steps": "x²"},
        status=400,
    )
    admin_app.post(
        f"/projects/{project.id}/settings/steps",
        {"csrf_token": token, "shot_steps": "999999"},
        status=400,
    )


def test_without_steps_the_page_says_to_create_them(admin_app, factory, dbsession):
    project = factory.project()
    page = admin_app.get(f"/projects/{project.id}/settings/steps")
    assert page.html.find("form", id="project-steps-form") is None
    assert page.html.find("a", string="Create pipeline steps") is not None


def test_the_settings_page_links_to_the_board_columns(admin_app, factory):
    project = factory.project()
    page = admin_app.get(f"/projects/{project.id}/settings")
    link = page.html.find("a", string="Choose the board columns")
    assert link["href"].endswith(f"/projects/{project.id}/settings/steps")


def test_a_project_manager_may_choose_the_columns(testapp, factory):
    project = factory.project()
    producer = factory.user()
    role = factory.role("Producer", manages_project=True)
    project.members.append(ProjectUser(user=producer, role=role))
    login(testapp, producer.login)
    testapp.get(f"/projects/{project.id}/settings/steps", status=200)


def test_an_artist_of_the_project_may_not_choose_the_columns(testapp, factory):
    project = factory.project()
    artist = factory.user()
    project.members.append(ProjectUser(user=artist))
    login(testapp, artist.login)
    testapp.get(f"/projects/{project.id}/settings/steps", status=403)


def test_the_page_takes_the_same_queries_on_a_small_and_a_10x_project(
    admin_app, factory, queries_of
):
    steps = steps_of(factory, "Layout", "Animation", "Comp")

    def build(scale: int):
        project = factory.project()
        for _ in range(scale):
            shot = factory.task("Shot", project=project)
            for name, kind in steps.items():
                factory.task(parent=shot, name=name, type=kind)
            factory.task(
                parent=factory.task("Asset", project=project), name="Comp", type=steps["Comp"]
            )
        return project

    small, large = build(1), build(10)
    assert queries_of(admin_app, f"/projects/{small.id}/settings/steps") == queries_of(
        admin_app, f"/projects/{large.id}/settings/steps"
    )
