"""Files through the browser: uploading (refusals leave nothing), downloading and thumbnails
only for those who may see the task."""

import io

import pytest
from PIL import Image
from pyramid.interfaces import IRequestExtensions
from pyramid.request import Request, apply_request_extensions
from sqlalchemy import func, select

from stalker_web.models import File, ProjectUser
from stalker_web.services.versions.versions import create_version

from ...conftest import login
from ...pages import csrf_token


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 200), (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def root(tmp_path):
    folder = tmp_path / "film"
    folder.mkdir()
    return folder


@pytest.fixture
def crew(factory, root, dbsession):
    """A version of task "Anim" of project FILM (repository at ``root``); ``artist`` is the
    task's resource, ``member`` only a member, ``outsider`` not a member."""
    template = factory.filename_template(
        "Task",
        path="{{ project.code }}/{{ task.nice_name }}",
        filename="anim_v{{ version.version_number }}",
    )
    project = factory.project(
        name="Film", code="FILM", structure=factory.structure(templates=[template])
    )
    project.repositories.append(factory.repository(code="FILM", linux_path=str(root)))
    people = {name: factory.user() for name in ("artist", "member", "outsider")}
    for name in ("artist", "member"):
        project.members.append(ProjectUser(user=people[name]))
    task = factory.task(project=project, name="Anim")
    task.resources.append(people["artist"])
    return create_version(dbsession, task), people


def upload(testapp, version, name, content, status):
    form = testapp.get(f"/versions/{version.id}").forms["upload-form"]
    form["upload"] = (name, content)
    return form.submit(status=status)


def on_disk(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


def file_rows(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(File))


def test_a_resource_uploads_an_image_and_sees_its_thumbnail(testapp, crew, root, dbsession):
    version, people = crew
    login(testapp, people["artist"].login)
    content = png_bytes()
    page = upload(testapp, version, "beauty.png", content, 303).follow()
    assert "beauty.png stored as $REPOFILM/FILM/Anim/anim_v1.png." in page.text
    assert (root / "FILM/Anim/anim_v1.png").read_bytes() == content
    [stored] = version.files
    image = page.html.find(id="files").find("img")
    assert image["src"].endswith(f"/files/{stored.id}/thumbnail")
    assert f"{root}/FILM/Anim/anim_v1.png" in page.html.find(id="files").text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("script.sh", b"#!/bin/sh\nrm -rf /\n", "Files of type .sh are not accepted"),
        ("photo.png", b"%PDF-1.4 not an image", "The content of photo.png is not a PNG image"),
    ],
)
def test_a_wrong_type_is_refused_and_nothing_is_stored(
    testapp, crew, root, dbsession, name, content, message
):
    version, people = crew
    login(testapp, people["artist"].login)
    page = upload(testapp, version, name, content, 400)
    assert message in page.html.find(id="upload-errors").text
    assert on_disk(root) == []
    assert file_rows(dbsession) == 0


def test_a_file_too_large_is_refused_and_nothing_is_stored(
    app, testapp, crew, root, dbsession, monkeypatch
):
    request = Request.blank("/")
    request.registry = app.registry
    apply_request_extensions(request, extensions=app.registry.queryUtility(IRequestExtensions))
    monkeypatch.setitem(request.studio_config["uploads"], "max_bytes", 1000)
    version, people = crew
    login(testapp, people["artist"].login)
    page = upload(testapp, version, "big.pdf", b"%PDF-1.4\n" + b"0" * 2000, 400)
    assert "big.pdf is larger than the 1000 bytes limit." in page.text
    assert on_disk(root) == []
    assert file_rows(dbsession) == 0


def test_no_file_chosen_is_refused(testapp, crew):
    version, people = crew
    login(testapp, people["artist"].login)
    form = testapp.get(f"/versions/{version.id}").forms["upload-form"]
    page = form.submit(status=400)
    assert "Choose a file to upload." in page.text


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_the_tasks_people_upload(testapp, crew, root, who):
    version, people = crew
    login(testapp, people[who].login)
    testapp.post(
        f"/versions/{version.id}/files",
        {"csrf_token": csrf_token(testapp)},
        upload_files=[("upload", "a.png", png_bytes())],
        status=403,
    )
    assert on_disk(root) == []


@pytest.fixture
def stored(testapp, crew):
    """An uploaded image; the test client is logged out afterwards."""
    version, people = crew
    login(testapp, people["artist"].login)
    upload(testapp, version, "beauty.png", png_bytes(), 303)
    testapp.reset()
    return version.files[0], people


def test_a_member_downloads_the_file_and_its_thumbnail(testapp, stored, root):
    file, people = stored
    login(testapp, people["member"].login)
    response = testapp.get(f"/files/{file.id}")
    assert response.body == (root / file.relative_path).read_bytes()
    assert response.content_type == "image/png"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="anim_v1.png"')
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    thumbnail = testapp.get(f"/files/{file.id}/thumbnail")
    assert thumbnail.content_type == "image/png"
    assert thumbnail.body == (root / file.thumbnail_path).read_bytes()


def test_a_user_outside_the_project_cannot_fetch_its_files(testapp, stored):
    file, people = stored
    login(testapp, people["outsider"].login)
    testapp.get(f"/files/{file.id}", status=403)
    testapp.get(f"/files/{file.id}/thumbnail", status=403)


def test_missing_files_and_thumbnails_are_not_found(testapp, stored, root, dbsession):
    file, people = stored
    login(testapp, people["member"].login)
    (root / file.thumbnail_path).unlink()
    testapp.get(f"/files/{file.id}/thumbnail", status=404)
    file.thumbnail_path = None
    dbsession.flush()
    testapp.get(f"/files/{file.id}/thumbnail", status=404)
    (root / file.relative_path).unlink()
    testapp.get(f"/files/{file.id}", status=404)
    testapp.get("/files/999999", status=404)


def test_a_link_out_of_the_repository_is_never_served(testapp, stored, root, tmp_path):
    file, people = stored
    (tmp_path / "secret.txt").write_text("secret")
    (root / file.relative_path).unlink()
    (root / file.relative_path).symlink_to(tmp_path / "secret.txt")
    login(testapp, people["member"].login)
    testapp.get(f"/files/{file.id}", status=404)
