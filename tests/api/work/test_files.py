"""The files of a version through the API: uploading (the page's checks, once per
Idempotency-Key), listing, details with the path per system, and the bytes."""

from pyramid.interfaces import IRequestExtensions
from pyramid.request import Request, apply_request_extensions
from sqlalchemy import func, select

from stalker_web.models import File
from stalker_web.services.versions.versions import create_version

from ...matrix_objects import png_bytes
from ..test_framework import error_of


def file_count(dbsession) -> int:
    return dbsession.scalar(select(func.count(File.id)))


def files_url(version) -> str:
    return f"/api/v1/versions/{version.id}/files"


def test_an_uploaded_image_is_stored_with_a_thumbnail(api_as, work, dbsession, tmp_path):
    version = create_version(dbsession, work.task)
    client = api_as(work.artist)
    response = client.upload(files_url(version), [("file", "frame.png", png_bytes())])
    stored = response.json
    assert response.headers["Location"].endswith(f"/api/v1/files/{stored['id']}")
    assert stored["version_id"] == version.id and stored["has_thumbnail"]
    assert stored["relative_path"] == "WRK/Anim/Anim_v001.png"
    assert stored["paths"]["linux"] == f"{tmp_path}/WRK/Anim/Anim_v001.png"
    assert stored["paths"]["windows"] == "P:/WRK/Anim/Anim_v001.png"
    assert client.get(f"/api/v1/files/{stored['id']}").json == stored
    content = client.get(f"/api/v1/files/{stored['id']}/content")
    assert content.body == png_bytes() and content.content_type == "image/png"
    listed = client.get(files_url(version)).json
    assert [item["id"] for item in listed["data"]] == [stored["id"]]


def test_a_retried_upload_stores_one_file(api_as, work, dbsession):
    version = create_version(dbsession, work.task)
    client = api_as(work.artist)
    key = {"Idempotency-Key": "upload-1"}
    first = client.upload(files_url(version), [("file", "a.png", png_bytes())], headers=key)
    again = client.upload(files_url(version), [("file", "a.png", png_bytes())], headers=key)
    assert again.json == first.json and file_count(dbsession) == 1
    other = client.upload(
        files_url(version), [("file", "b.png", png_bytes())], headers=key, status=422
    )
    assert error_of(other)["code"] == "idempotency_key_reused" and file_count(dbsession) == 1


def test_a_wrong_extension_or_no_file_is_refused_with_the_reason(api_as, work, dbsession):
    version = create_version(dbsession, work.task)
    client = api_as(work.artist)
    wrong = client.upload(files_url(version), [("file", "run.exe", b"MZ")], status=422)
    assert ".exe" in error_of(wrong)["message"] and "file" in error_of(wrong)["fields"]
    missing = client.post(files_url(version), {}, status=422)
    assert "file" in error_of(missing)["fields"]
    assert file_count(dbsession) == 0


def test_a_file_too_large_is_refused_and_nothing_is_stored(
    api_as, app, work, dbsession, monkeypatch, tmp_path
):
    request = Request.blank("/")
    request.registry = app.registry
    apply_request_extensions(request, extensions=app.registry.queryUtility(IRequestExtensions))
    monkeypatch.setitem(request.studio_config["uploads"], "max_bytes", 1000)
    version = create_version(dbsession, work.task)
    big = b"%PDF-1.4\n" + b"0" * 2000
    response = api_as(work.artist).upload(
        files_url(version), [("file", "big.pdf", big)], status=422
    )
    assert "larger than the 1000 bytes limit" in error_of(response)["message"]
    assert file_count(dbsession) == 0
    assert not (tmp_path / "WRK").exists() or not any((tmp_path / "WRK").rglob("*.pdf"))


def test_strangers_see_no_files_and_upload_none(api_as, work, dbsession):
    version = create_version(dbsession, work.task)
    stored = api_as(work.artist).upload(files_url(version), [("file", "a.png", png_bytes())]).json
    stranger = api_as(work.stranger)
    for url in (
        files_url(version),
        f"/api/v1/files/{stored['id']}",
        f"/api/v1/files/{stored['id']}/content",
    ):
        stranger.get(url, status=404)
    stranger.upload(files_url(version), [("file", "b.png", png_bytes())], status=404)
    assert file_count(dbsession) == 1
