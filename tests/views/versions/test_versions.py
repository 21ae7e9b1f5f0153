"""Version pages through the real forms: creating, the version page, publishing, and the task
page's versions section."""

import pytest
from pyramid.interfaces import IRequestExtensions
from pyramid.request import Request, apply_request_extensions
from pyramid_jinja2 import IJinja2Environment

from stalker_web.models import File, ProjectUser, Version
from stalker_web.services.versions.versions import create_version, task_versions

from ...conftest import login
from ...pages import csrf_token


@pytest.fixture
def crew(factory):
    """Project FILM with a task "Anim" whose resource is ``artist``; ``member`` is only a
    member, ``producer`` a manager, ``outsider`` not a member."""
    project = factory.project(name="Film", code="FILM")
    people = {name: factory.user() for name in ("artist", "member", "producer", "outsider")}
    for name in ("artist", "member"):
        project.members.append(ProjectUser(user=people[name]))
    project.members.append(ProjectUser(user=people["producer"], role=factory.role("Producer")))
    task = factory.task(project=project, name="Anim")
    task.resources.append(people["artist"])
    return project, task, people


def create_url(task) -> str:
    return f"/tasks/{task.id}/versions/new"


def test_a_resource_creates_a_version(testapp, crew, dbsession):
    project, task, people = crew
    login(testapp, people["artist"].login)
    form = testapp.get(create_url(task)).forms["version-form"]
    form["created_with"] = "Maya 2025"
    form["description"] = "Blocking"
    page = form.submit(status=303).follow()
    [version] = dbsession.query(Version).filter_by(task_id=task.id).all()
    assert page.request.path == f"/versions/{version.id}"
    assert "Version r01 v001 of FILM / Anim created: add its files." in page.text
    crumbs = page.html.find(id="version-breadcrumbs").get_text(" ", strip=True)
    assert crumbs == "FILM / Anim / r01 v001"
    assert (version.created_with, version.description) == ("Maya 2025", "Blocking")
    assert version.created_by == people["artist"]


def test_a_producer_creates_a_version_made_from_another(testapp, crew, dbsession):
    project, task, people = crew
    first = create_version(dbsession, task)
    login(testapp, people["producer"].login)
    form = testapp.get(create_url(task)).forms["version-form"]
    form["parent_id"] = str(first.id)
    form["revision_number"] = "1"
    form.submit(status=303)
    second = dbsession.query(Version).filter_by(task_id=task.id, version_number=2).one()
    assert second.parent == first


def test_bad_input_is_shown_under_its_field(testapp, crew, dbsession, factory):
    project, task, people = crew
    login(testapp, people["artist"].login)
    form = testapp.get(create_url(task)).forms["version-form"]
    form["revision_number"] = "0"
    page = form.submit(status=400)
    errors = page.html.find(id="revision_number-errors").get_text(strip=True)
    assert errors == "The revision number starts at 1."
    foreign = create_version(dbsession, factory.task())
    form = page.forms["version-form"]
    form["revision_number"] = "1"
    form["parent_id"].force_value(str(foreign.id))
    page = form.submit(status=400)
    assert "does not exist in this project" in page.html.find(id="parent_id-errors").text
    assert dbsession.query(Version).filter_by(task_id=task.id).count() == 0


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_others_cannot_create_versions(testapp, crew, who):
    project, task, people = crew
    login(testapp, people[who].login)
    testapp.get(create_url(task), status=403)
    testapp.post(create_url(task), {"csrf_token": csrf_token(testapp)}, status=403)


def test_the_version_page_shows_files_paths_inputs_and_history(testapp, crew, dbsession, factory):
    project, task, people = crew
    repository = factory.repository(
        code="FILM", linux_path="/mnt/film", windows_path="F:\\", macos_path=""
    )
    source = create_version(dbsession, task)
    scene = File(version=source, repository=repository, relative_path="anim/v001.ma")
    dbsession.add(scene)
    dbsession.flush()
    version = create_version(dbsession, task, parent_id=source.id, input_file_ids=[scene.id])
    child = create_version(dbsession, task, parent_id=version.id)
    dbsession.add(File(version=version, repository=repository, relative_path="anim/v002.ma"))
    dbsession.flush()
    login(testapp, people["member"].login)
    page = testapp.get(f"/versions/{version.id}")
    files = page.html.find(id="files").get_text(" ", strip=True)
    assert "$REPOFILM/anim/v002.ma" in files and "/mnt/film/anim/v002.ma" in files
    assert "F:/anim/v002.ma" in files and "no macOS root" in files
    assert "anim/v001.ma" in page.html.find(id="inputs").text
    assert [li.a.text for li in page.html.find(id="ancestors")("li") if li.a] == [source.name]
    assert page.html.find(id="children").a.text == child.name
    assert page.html.find(id="publish-form") is None  # a member reads, does not publish
    assert page.html.find(id="upload-form") is None


def test_an_outsider_cannot_see_a_version(testapp, crew, dbsession):
    project, task, people = crew
    version = create_version(dbsession, task)
    login(testapp, people["outsider"].login)
    testapp.get(f"/versions/{version.id}", status=403)


def test_a_resource_publishes_and_unpublishes(testapp, crew, dbsession):
    project, task, people = crew
    version = create_version(dbsession, task)
    login(testapp, people["artist"].login)
    page = testapp.get(f"/versions/{version.id}")
    page = page.forms["publish-form"].submit(status=303).follow()
    assert version.is_published and f"{version.name} is published." in page.text
    assert page.html.find(id="published-badge")
    page = page.forms["publish-form"].submit(status=303).follow()
    assert not version.is_published and "is no longer published" in page.text


def test_publishing_from_a_stale_page_is_refused(testapp, crew, dbsession):
    project, task, people = crew
    version = create_version(dbsession, task)
    login(testapp, people["artist"].login)
    form = testapp.get(f"/versions/{version.id}").forms["publish-form"]
    version.description = "changed meanwhile"
    dbsession.flush()
    page = form.submit(status=303).follow()
    assert "changed by someone else" in page.text
    assert not version.is_published


def test_a_member_cannot_publish(testapp, crew, dbsession):
    project, task, people = crew
    version = create_version(dbsession, task)
    login(testapp, people["member"].login)
    token = csrf_token(testapp)
    data = {"csrf_token": token, "version_id": version.version_id}
    testapp.post(f"/versions/{version.id}/publish", data, status=403)
    assert not version.is_published


# The task page's section (included by templates/tasks/view.jinja2)


def render_section(app, task, versions, can_create):
    request = Request.blank("/", base_url="http://example.com")
    request.registry = app.registry
    apply_request_extensions(request, extensions=app.registry.queryUtility(IRequestExtensions))
    request.time_zone = "UTC"  # no session here to read the studio's zone from
    environment = app.registry.queryUtility(IJinja2Environment, name=".jinja2")
    template = environment.from_string(
        '{% from "tasks/_versions.jinja2" import versions_section with context %}'
        "{{ versions_section(versions, task, can_create) }}"
    )
    return template.render(request=request, versions=versions, task=task, can_create=can_create)


def test_the_versions_section_lists_versions_with_thumbnails(app, crew, dbsession, factory):
    project, task, people = crew
    repository = factory.repository()
    versions = [create_version(dbsession, task) for _ in range(3)]
    dbsession.add(
        File(
            version=versions[1],
            repository=repository,
            relative_path="a/v2.png",
            thumbnail_path="a/.thumbnails/v2.png.png",
        )
    )
    dbsession.flush()
    html = render_section(app, task, task_versions(dbsession, task), True)
    assert html.index("r01 v003") < html.index("r01 v002") < html.index("r01 v001")
    thumbnail_id = versions[1].files[0].id
    assert f'src="http://example.com/files/{thumbnail_id}/thumbnail"' in html
    assert f"http://example.com/tasks/{task.id}/versions/new" in html
    empty = render_section(app, factory.task(), task_versions(dbsession, factory.task()), False)
    assert "No version yet." in empty and "versions/new" not in empty


def test_the_section_pages_through_many_versions(app, crew, dbsession):
    project, task, people = crew
    for _ in range(21):
        create_version(dbsession, task)
    html = render_section(app, task, task_versions(dbsession, task, 2), False)
    assert "Page 2 of 2 (21 versions)" in html and "r01 v001" in html and "r01 v002" not in html
