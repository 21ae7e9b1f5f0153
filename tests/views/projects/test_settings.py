"""Project settings through the real forms: settings, ordered repositories and deletion."""

import pytest
from sqlalchemy import func, select

from stalker_web.models import Project, ProjectUser, Task, TaskDependency

from ...conftest import login
from ...factories.projects import member
from ...pages import csrf_token


def settings_url(project) -> str:
    return f"/projects/{project.id}/settings"


@pytest.fixture
def producer_app(testapp, factory):
    """A logged-in Producer member of a project; returns (app, project)."""
    project = factory.project(name="Film", code="FILM")
    login(testapp, member(project, factory.user(), factory.role("Producer")).login)
    return testapp, project


def repository_order(page) -> list[str]:
    table = page.html.find(id="project-repositories")
    return [row.th.contents[0].strip() for row in table.tbody("tr")] if table else []


def actions_form(page, repository):
    return page.forms[f"repository-actions-{repository.id}"]


# The settings form


def test_a_producer_member_saves_the_settings(producer_app, factory):
    app, project = producer_app
    feature = factory.task_type("Project", "Feature")
    structure = factory.structure(name="Film layout")
    form = app.get(settings_url(project)).forms["settings-form"]
    form["type_id"], form["structure_id"] = str(feature.id), str(structure.id)
    form["is_stereoscopic"] = True
    page = form.submit(status=303).follow()
    assert page.request.path == settings_url(project)
    assert "Settings of Film saved." in page.text
    assert (project.type, project.structure, project.is_stereoscopic) == (
        feature,
        structure,
        True,
    )
    form = page.forms["settings-form"]
    assert form["type_id"].value == str(feature.id)
    assert form["is_stereoscopic"].checked


def test_the_type_choices_are_project_types_only(producer_app, factory):
    app, project = producer_app
    factory.task_type("Project", "Commercial")
    factory.task_type("Asset", "Prop")
    form = app.get(settings_url(project)).forms["settings-form"]
    labels = [label for _, _, label in form["type_id"].options]
    assert "Commercial" in labels and "Prop" not in labels


def test_a_type_for_another_kind_is_refused_under_its_field(producer_app, factory):
    app, project = producer_app
    form = app.get(settings_url(project)).forms["settings-form"]
    form["type_id"].force_value(str(factory.task_type("Asset", "Prop").id))
    page = form.submit(status=400)
    errors = page.html.find(id="type_id-errors").get_text(strip=True)
    assert errors == "The type Prop is for Asset entities, not Project."
    assert project.type is None


def test_settings_from_a_stale_page_are_refused(producer_app, dbsession):
    app, project = producer_app
    form = app.get(settings_url(project)).forms["settings-form"]
    project.description = "changed meanwhile"
    dbsession.flush()
    form["is_stereoscopic"] = True
    assert "changed by someone else" in form.submit(status=400).text
    assert project.is_stereoscopic is False


def test_a_member_without_a_manager_role_cannot_open_or_change_settings(testapp, factory):
    project = factory.project()
    login(testapp, member(project, factory.user(), factory.role("Artist")).login)
    testapp.get(settings_url(project), status=403)
    token = csrf_token(testapp)
    testapp.post(
        settings_url(project),
        {"csrf_token": token, "version_id": project.version_id, "is_stereoscopic": "y"},
        status=403,
    )
    repository = factory.repository()
    testapp.post(
        f"{settings_url(project)}/repositories",
        {"csrf_token": token, "action": "add", "repository_id": repository.id},
        status=403,
    )
    assert project.is_stereoscopic is False
    assert project.repositories == []


def test_a_non_member_cannot_open_the_settings(testapp, factory):
    project = factory.project()
    login(testapp, factory.user_allowed("Read_Project").login)
    testapp.get(settings_url(project), status=403)


def test_holders_of_update_project_open_any_projects_settings(testapp, factory):
    project = factory.project(name="Anyone's")
    login(testapp, factory.user_allowed("Update_Project").login)
    page = testapp.get(settings_url(project))
    assert "settings-form" in page.forms
    assert "project-delete-form" not in page.forms


def test_settings_page_takes_the_same_queries_for_3_and_30_repositories(
    admin_app, factory, count_queries
):
    def build(count):
        project = factory.project(structure=factory.structure())
        for _ in range(count):
            project.repositories.append(factory.repository())
            factory.repository()  # one more to choose from
            factory.structure()
            factory.task_type("Project")
        return project

    small, big = build(3), build(30)
    with count_queries() as few:
        admin_app.get(settings_url(small))
    with count_queries() as many:
        page = admin_app.get(settings_url(big))
    assert len(repository_order(page)) == 30
    assert many.count == few.count


# The ordered repositories


def test_the_first_repository_is_where_new_files_go(producer_app, factory):
    app, project = producer_app
    first = factory.repository(name="First")
    project.repositories.extend([first, factory.repository(name="Second")])
    page = app.get(settings_url(project))
    assert "New files go to the first repository" in page.html.get_text(" ", strip=True)
    badge = page.html.find(id=f"project-repository-{first.id}").find(class_="badge")
    assert badge.get_text() == "new files go here"


def test_add_repositories_and_reorder_them(producer_app, factory):
    app, project = producer_app
    a, b = factory.repository(name="A"), factory.repository(name="B")
    for repository in (a, b):
        form = app.get(settings_url(project)).forms["repository-add-form"]
        form["repository_id"] = str(repository.id)
        page = form.submit(status=303).follow()
        assert f"{repository.name} added to the repositories of Film." in page.text
    assert repository_order(page) == ["A", "B"]

    page = actions_form(page, b).submit("action", value="up", status=303).follow()
    assert "B moved up." in page.text
    assert repository_order(page) == ["B", "A"]
    assert project.repository is b

    page = actions_form(page, b).submit("action", value="down", status=303).follow()
    assert "B moved down." in page.text
    assert repository_order(page) == ["A", "B"]

    page = actions_form(page, a).submit("action", value="remove", status=303).follow()
    assert "A removed from the repositories of Film." in page.text
    assert repository_order(page) == ["B"]


def test_the_first_has_no_move_up_and_the_last_no_move_down(producer_app, factory):
    app, project = producer_app
    a, b = factory.repository(name="A"), factory.repository(name="B")
    project.repositories.extend([a, b])
    page = app.get(settings_url(project))
    assert [
        button.get_text() for button in page.html.find(id=f"repository-actions-{a.id}")("button")
    ] == [
        "Move down",
        "Remove",
    ]
    assert [
        button.get_text() for button in page.html.find(id=f"repository-actions-{b.id}")("button")
    ] == [
        "Move up",
        "Remove",
    ]


def test_adding_a_repository_twice_is_refused(producer_app, factory):
    app, project = producer_app
    repository = factory.repository(name="Main")
    factory.repository(name="Spare")
    project.repositories.append(repository)
    form = app.get(settings_url(project)).forms["repository-add-form"]
    form["repository_id"].force_value(str(repository.id))
    page = form.submit(status=400)
    errors = page.html.find(id="repository_id-errors").get_text(strip=True)
    assert errors == "Main is already one of the repositories of Film."
    assert project.repositories == [repository]


def test_adding_nothing_is_refused(producer_app, factory):
    app, project = producer_app
    factory.repository()
    page = app.get(settings_url(project)).forms["repository-add-form"].submit(status=400)
    assert "Choose a repository to add." in page.text


@pytest.mark.parametrize(
    ("action", "which", "message"),
    [
        ("up", 0, "A is already first."),
        ("down", 1, "B is already last."),
        ("jump", 0, "Unknown action; use the buttons of the settings page."),
        ("remove", None, "That repository is not one of the repositories of Film any more"),
    ],
)
def test_impossible_repository_actions_are_refused(producer_app, factory, action, which, message):
    app, project = producer_app
    repositories = [factory.repository(name="A"), factory.repository(name="B")]
    project.repositories.extend(repositories)
    outsider = factory.repository(name="C")
    target = outsider if which is None else repositories[which]
    page = app.post(
        f"{settings_url(project)}/repositories",
        {"csrf_token": csrf_token(app), "action": action, "repository_id": target.id},
        status=400,
    )
    assert message in page.html.find(class_="flash error").get_text(strip=True)
    assert repository_order(page) == ["A", "B"]


# Deleting the project


def delete_form(app, project):
    return app.get(settings_url(project)).forms["project-delete-form"]


def count(dbsession, statement) -> int:
    return dbsession.scalar(select(func.count()).select_from(statement.subquery()))


def test_delete_project_with_its_tree_through_the_form(admin_app, factory, dbsession):
    project = factory.project(name="Doomed", code="DOOM")
    artist = member(project, factory.user())
    project.repositories.append(factory.repository())
    sequence = factory.task("Sequence", project=project)
    shot = factory.task("Shot", parent=sequence, sequence=sequence)
    layout, animation = factory.task(parent=shot), factory.task(parent=shot)
    animation.depends_on.append(layout)
    dbsession.flush()
    ids = [sequence.id, shot.id, layout.id, animation.id]

    form = delete_form(admin_app, project)
    form["confirmation"] = "DOOM"
    page = form.submit(status=303).follow()

    assert page.request.path == "/projects"
    assert "Project Doomed deleted with all its tasks." in page.text
    dbsession.expire_all()
    assert dbsession.get(Project, project.id) is None
    assert count(dbsession, select(Task).where(Task.id.in_(ids))) == 0
    assert count(dbsession, select(TaskDependency).where(TaskDependency.task_id.in_(ids))) == 0
    assert count(dbsession, select(ProjectUser).where(ProjectUser.user_id == artist.id)) == 0


@pytest.mark.parametrize("typed", ["", "doom", "Doomed"])
def test_delete_with_the_wrong_code_is_refused(admin_app, factory, dbsession, typed):
    project = factory.project(name="Doomed", code="DOOM")
    task = factory.task(project=project)
    form = delete_form(admin_app, project)
    form["confirmation"] = typed
    page = form.submit(status=400)
    errors = page.html.find(id="confirmation-errors").get_text(strip=True)
    assert errors == "Type the code of the project, DOOM, to delete it."
    dbsession.expire_all()
    assert dbsession.get(Project, project.id) is not None
    assert dbsession.get(Task, task.id) is not None


def test_managers_without_delete_project_get_no_delete_form_and_are_refused(producer_app):
    app, project = producer_app
    page = app.get(settings_url(project))
    assert "project-delete-form" not in page.forms
    assert page.html.find(id="danger-zone") is None
    app.post(
        f"/projects/{project.id}/delete",
        {"csrf_token": csrf_token(app), "confirmation": "FILM"},
        status=403,
    )
    assert project.name == "Film"


def test_holders_of_delete_project_see_the_delete_form(testapp, factory):
    project = factory.project()
    login(testapp, factory.user_allowed("Update_Project", "Delete_Project").login)
    assert "project-delete-form" in testapp.get(settings_url(project)).forms


def test_update_project_alone_does_not_allow_deleting(testapp, factory, dbsession):
    project = factory.project(code="KEEP")
    login(testapp, factory.user_allowed("Update_Project").login)
    testapp.post(
        f"/projects/{project.id}/delete",
        {"csrf_token": csrf_token(testapp), "confirmation": "KEEP"},
        status=403,
    )
    assert dbsession.get(Project, project.id) is not None
