"""The versions of a task through the API: listing, creating (once per Idempotency-Key, with
the paths to save to), reading with an ETag, publishing with If-Match."""

from sqlalchemy import func, select

from stalker_web.models import Version
from stalker_web.services.versions.versions import create_version

from ..test_framework import error_of


def versions_url(task) -> str:
    return f"/api/v1/tasks/{task.id}/versions"


def version_count(dbsession, task) -> int:
    return dbsession.scalar(select(func.count(Version.id)).where(Version.task_id == task.id))


def test_an_artist_creates_a_version_and_gets_its_paths(api_as, work, tmp_path):
    body = {"created_with": "Maya 2025", "description": "Blocking", "extension": ".ma"}
    response = api_as(work.artist).post(versions_url(work.task), body)
    version = response.json
    assert response.headers["Location"].endswith(f"/api/v1/versions/{version['id']}")
    assert (version["revision_number"], version["version_number"]) == (1, 1)
    assert version["label"] == "r01 v001" and version["created_with"] == "Maya 2025"
    assert version["paths"] == {
        "linux": f"{tmp_path}/WRK/Anim/Anim_v001.ma",
        "windows": "P:/WRK/Anim/Anim_v001.ma",
        "macos": "/Volumes/P/WRK/Anim/Anim_v001.ma",
    }
    assert version["paths_reason"] is None


def test_a_version_made_from_another_names_its_parent(api_as, work):
    client = api_as(work.artist)
    first = client.post(versions_url(work.task), {}).json
    second = client.post(versions_url(work.task), {"parent_id": first["id"]}).json
    assert second["parent_id"] == first["id"] and second["version_number"] == 2
    assert second["paths"] is None and ".ma" in second["paths_reason"]


def test_a_project_that_cannot_name_files_answers_no_paths_with_the_reason(
    api_as, factory, dbsession, work
):
    task = factory.task(project=factory.project(), resources=[work.artist])
    client = api_as(factory.admin())
    version = client.post(versions_url(task), {"extension": "ma"}).json
    assert version["paths"] is None and "no structure" in version["paths_reason"]


def test_a_retried_create_makes_one_version(api_as, work, dbsession):
    client = api_as(work.artist)
    key = {"Idempotency-Key": "4a1c-retry"}
    first = client.post(versions_url(work.task), {"description": "x"}, headers=key)
    again = client.post(versions_url(work.task), {"description": "x"}, headers=key)
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert version_count(dbsession, work.task) == 1
    other = client.post(versions_url(work.task), {"description": "y"}, headers=key, status=422)
    assert error_of(other)["code"] == "idempotency_key_reused"
    assert version_count(dbsession, work.task) == 1


def test_bad_version_input_is_refused_by_field(api_as, work, dbsession):
    client = api_as(work.artist)
    for body, field in (
        ({"revision_number": 0}, "revision_number"),
        ({"revision_number": "1"}, "revision_number"),
        ({"parent_id": 999999}, "parent_id"),
        ({"created_with": 5}, "created_with"),
        ({"extension": ".m a"}, "extension"),
        ({"revison_number": 2}, "revison_number"),
    ):
        error = error_of(client.post(versions_url(work.task), body, status=422))
        assert field in error["fields"], body
    assert version_count(dbsession, work.task) == 0


def test_a_read_only_token_is_refused_with_the_reason_and_makes_no_version(api_as, work, dbsession):
    error = error_of(api_as(work.artist, "read").post(versions_url(work.task), {}, status=403))
    assert "may only read" in error["message"]
    assert version_count(dbsession, work.task) == 0


def test_strangers_see_no_versions_and_cannot_create_them(api_as, work, dbsession):
    version = create_version(dbsession, work.task)
    stranger = api_as(work.stranger)
    stranger.get(versions_url(work.task), status=404)
    stranger.post(versions_url(work.task), {}, status=404)
    stranger.get(f"/api/v1/versions/{version.id}", status=404)
    stranger.post(f"/api/v1/versions/{version.id}/publish", {}, status=404)


def test_the_list_filters_and_pages(api_as, work, dbsession):
    versions = [create_version(dbsession, work.task, revision_number=r) for r in (1, 1, 2)]
    versions[1].is_published = True
    dbsession.flush()
    client = api_as(work.artist)
    url = versions_url(work.task)
    assert [v["id"] for v in client.get(url, published="true").json["data"]] == [versions[1].id]
    assert [v["id"] for v in client.get(url, revision_number="2").json["data"]] == [versions[2].id]
    first = client.get(url, limit=2, fields="label").json
    assert [set(item) for item in first["data"]] == [{"id", "label"}] * 2
    rest = client.get(url, limit=2, cursor=first["next_cursor"]).json
    assert [v["id"] for v in rest["data"]] == [versions[2].id] and rest["next_cursor"] is None
    for params in ({"published": "yes"}, {"revision_number": "x"}, {"extension": "!"}):
        client.get(url, status=400, **params)


def test_publishing_needs_the_current_etag(api_as, work, dbsession):
    version = create_version(dbsession, work.task)
    client = api_as(work.artist)
    url = f"/api/v1/versions/{version.id}"
    read = client.get(url)
    etag = read.headers["ETag"]
    error_of(client.post(f"{url}/publish", {}, status=428))
    published = client.post(f"{url}/publish", {}, status=200, headers={"If-Match": etag})
    assert published.json["is_published"] and published.headers["ETag"] != etag
    stale = client.post(f"{url}/unpublish", {}, status=412, headers={"If-Match": etag})
    assert error_of(stale)["code"] == "precondition_failed"
    fresh = {"If-Match": published.headers["ETag"]}
    assert not client.post(f"{url}/unpublish", {}, status=200, headers=fresh).json["is_published"]


def test_a_change_made_meanwhile_is_a_conflict(api_as, work, dbsession, monkeypatch):
    """The ETag matched when read, but the row changed before the service's own check."""
    from stalker_web.api.work import versions as module

    version = create_version(dbsession, work.task)
    client = api_as(work.artist)
    url = f"/api/v1/versions/{version.id}"
    etag = client.get(url).headers["ETag"]
    monkeypatch.setattr(module, "matched_version", lambda request, entity: entity.version_id - 1)
    response = client.post(f"{url}/publish", {}, status=409, headers={"If-Match": etag})
    assert error_of(response)["code"] == "conflict"


def test_the_version_list_sends_as_many_statements_for_5_as_for_50(
    api_as, work, dbsession, queries_of
):
    client = api_as(work.artist)
    url = f"{versions_url(work.task)}?extension=.ma"
    headers = client.headers()
    app = client.testapp

    def count(total: int) -> int:
        while version_count(dbsession, work.task) < total:
            create_version(dbsession, work.task)
        app.extra_environ = {**app.extra_environ, "HTTP_AUTHORIZATION": headers["Authorization"]}
        return queries_of(app, url)

    assert count(5) == count(50)
