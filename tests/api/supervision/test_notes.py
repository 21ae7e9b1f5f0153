"""Notes through the API: listing and adding them on a project, a task, a version and a ticket;
mentions; safe HTML; attachments' metadata; idempotent retries; rights; statement counts."""

import io

import pytest
from sqlalchemy import func, select

from stalker_web.models import Note
from stalker_web.services.notes.attachments import AttachmentStore, Upload, use_store
from stalker_web.services.notes.notes import add_note
from stalker_web.services.versions.uploads import UploadRules

from ...matrix_objects import png_bytes
from .conftest import error_of, token_on_every_request


@pytest.fixture
def targets(factory, team):
    """Each kind of target's notes URL, with the add_note keyword naming it."""
    task = factory.task(project=team.project, name="Layout")
    version = factory.version(task)
    ticket = factory.ticket(team.project, team.artist)
    return {
        f"/api/v1/projects/{team.project.id}/notes": ("project", team.project.id, {}),
        f"/api/v1/tasks/{task.id}/notes": ("task", task.id, {"task": task}),
        f"/api/v1/versions/{version.id}/notes": ("version", version.id, {"version": version}),
        f"/api/v1/tickets/{ticket.id}/notes": ("ticket", ticket.id, {"ticket": ticket}),
    }


def test_a_member_adds_and_lists_notes_on_each_kind_of_target(api_as, team, targets):
    client = api_as(team.artist)
    for url, (kind, target_id, _target) in targets.items():
        response = client.post(url, {"content": f"On the *{kind}*"}, status=201)
        note = response.json
        assert response.headers["Location"].endswith(f"/api/v1/notes/{note['id']}")
        assert (note["target_kind"], note["target_id"]) == (kind, target_id)
        assert note["html"] == f"<p>On the <em>{kind}</em></p>\n"
        assert (note["author_id"], note["edited"], note["attachments"]) == (
            team.artist.id,
            False,
            [],
        )
        listed = client.get(url).json["data"]
        assert [item["id"] for item in listed] == [note["id"]], url
        assert client.get(f"/api/v1/notes/{note['id']}").json == note


def test_a_mention_reaches_a_member_and_one_of_an_outsider_is_refused(api_as, team, targets):
    client = api_as(team.artist)
    url = f"/api/v1/projects/{team.project.id}/notes"
    note = client.post(url, {"content": f"Look, @{team.manager.login}"}).json
    assert note["mentioned_ids"] == [team.manager.id]
    assert "mention" in note["html"]
    refused = client.post(url, {"content": f"@{team.outsider.login} see"}, status=422)
    assert "content" in error_of(refused)["fields"]


def test_a_script_or_javascript_link_renders_inert(api_as, team):
    content = (
        "<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)> "
        "[ok](https://example.com)"
    )
    url = f"/api/v1/projects/{team.project.id}/notes"
    note = api_as(team.artist).post(url, {"content": content}).json
    assert note["content"] == content
    assert "<script" not in note["html"] and "<img" not in note["html"]
    assert 'href="javascript' not in note["html"]
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">ok</a>' in note["html"]
    assert "&lt;script&gt;" in note["html"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "content"), ({"content": "   "}, "content"), ({"content": 5}, "content"),
     ({"content": "x", "file": "y"}, "file")],
)  # fmt: skip
def test_a_bad_note_is_refused_naming_the_field(api_as, team, dbsession, body, field):
    url = f"/api/v1/projects/{team.project.id}/notes"
    response = api_as(team.artist).post(url, body, status=422)
    assert field in error_of(response)["fields"]
    assert dbsession.scalar(select(func.count()).select_from(Note)) == 0


def test_an_idempotent_note_retried_is_added_once(api_as, team, dbsession):
    client = api_as(team.artist)
    url = f"/api/v1/projects/{team.project.id}/notes"
    headers = {"Idempotency-Key": "note-retry-1"}
    first = client.post(url, {"content": "Once"}, headers=headers).json
    again = client.post(url, {"content": "Once"}, headers=headers).json
    assert again == first
    assert dbsession.scalar(select(func.count()).select_from(Note)) == 1


def test_outsiders_neither_read_nor_add_notes(api_as, team, targets):
    client = api_as(team.outsider)
    for url in targets:
        assert error_of(client.get(url, status=404))["code"] == "not_found"
        client.post(url, {"content": "x"}, status=404)


def test_attachments_are_listed_with_their_metadata(
    api_as, factory, team, dbsession, studio_config, tmp_path
):
    rules, picture = UploadRules.from_config(studio_config), png_bytes()
    use_store(dbsession, AttachmentStore(str(tmp_path / "attachments"), rules))
    note = add_note(
        dbsession,
        team.artist,
        team.project,
        "See the file",
        attachments=[Upload("frame.png", io.BytesIO(picture))],
    )
    [item] = api_as(team.artist).get(f"/api/v1/projects/{team.project.id}/notes").json["data"]
    [attachment] = item["attachments"]
    assert attachment["id"] == note.attachments[0].id
    assert (attachment["filename"], attachment["size"]) == ("frame.png", len(picture))
    assert attachment["mime_type"] == "image/png" and attachment["has_thumbnail"] is True


def add_notes(dbsession, team, count: int, target: dict) -> None:
    """``count`` notes of the artist mentioning the manager, on ``target``."""
    for number in range(count):
        text = f"Note {number} for @{team.manager.login}"
        add_note(dbsession, team.artist, team.project, text, **target)
    dbsession.flush()


def test_the_notes_lists_statement_count_does_not_grow_with_its_notes(
    api_as, team, targets, dbsession, testapp, queries_of
):
    client = api_as(team.artist)
    token_on_every_request(testapp, client)
    for url, (_kind, _id, target) in targets.items():
        add_notes(dbsession, team, 5, target)
        few = queries_of(testapp, f"{url}?limit=100")
        add_notes(dbsession, team, 45, target)
        assert queries_of(testapp, f"{url}?limit=100") == few, url
