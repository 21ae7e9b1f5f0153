"""Changing a note: only its author, while on the project; the text it replaces is kept and
shown; an edit made on a stale page is refused without losing what was typed."""

from stalker_web.events import NoteEdited
from stalker_web.services.notes.notes import add_note, edit_note
from stalker_web.services.projects.projects import remove_member

from ..workflow.helpers import flashes
from .conftest import as_user


def test_the_author_changes_a_note_and_the_old_text_is_kept(
    testapp, dbsession, shot, artist, supervisor, received
):
    note = add_note(dbsession, artist, shot.project, "Blocking *done*", task=shot)
    page = as_user(testapp, artist).get(f"/tasks/{shot.id}")
    item = page.html.find(id=f"note-{note.id}")
    assert item.find("a", class_="note-edit")["href"].endswith(f"/notes/{note.id}/edit")
    assert item.find(class_="note-edited") is None

    page = testapp.get(f"/notes/{note.id}/edit")
    assert page.html.h1.get_text() == f"Change your note on {shot.project.code} / Animation"
    form = page.forms["note-edit-form"]
    assert form["content"].value == "Blocking *done*"
    form["content"] = f"Blocking done, @{supervisor.login} to review"
    answer = form.submit(status=303)
    assert answer.location.endswith(f"/tasks/{shot.id}#note-{note.id}")
    assert received == [NoteEdited(note.id, shot.project_id, artist.id, (supervisor.id,))]

    page = answer.follow()
    assert flashes(page) == "Note changed."
    item = page.html.find(id=f"note-{note.id}")
    assert "to review" in item.find(class_="note-text").get_text()
    history_link = item.find("a", class_="note-edited")
    assert history_link.get_text(" ", strip=True).startswith("edited")

    history = testapp.get(history_link["href"]).html.find(id="note-history")
    texts = [entry.find(class_="note-text").get_text(" ", strip=True) for entry in history("li")]
    assert texts == [f"Blocking done, @{supervisor.login} to review", "Blocking done"]
    assert (
        history("li")[1]
        .find("h2")
        .get_text(" ", strip=True)
        .startswith("Until Artist changed it on")
    )


def test_a_stale_edit_is_refused_and_keeps_the_typed_text(testapp, dbsession, shot, artist):
    note = add_note(dbsession, artist, shot.project, "First", task=shot)
    form = as_user(testapp, artist).get(f"/notes/{note.id}/edit").forms["note-edit-form"]
    edit_note(dbsession, note, artist, "Changed in another window", note.version_id)
    form["content"] = "My careful rewrite"
    page = form.submit(status=400)
    summary = page.html.find(id="error-summary").get_text(" ", strip=True)
    assert "This note was changed since you opened this page" in summary
    assert page.forms["note-edit-form"]["content"].value == "My careful rewrite"
    now = page.html.find(id="note-history").find("li")
    assert now.find(class_="note-text").get_text(strip=True) == "Changed in another window"
    # Having seen the note as it is now, saving again replaces it.
    page.forms["note-edit-form"].submit(status=303)
    assert note.content == "My careful rewrite"


def test_only_the_author_may_change_a_note(testapp, dbsession, factory, shot, artist, lead):
    note = add_note(dbsession, artist, shot.project, "Mine", task=shot)
    for person in (lead, factory.admin()):
        as_user(testapp, person)
        page = testapp.get(f"/tasks/{shot.id}")
        assert page.html.find(id=f"note-{note.id}").find(class_="note-edit") is None
        testapp.get(f"/notes/{note.id}/edit", status=403)
        token = page.forms["notes-form"]["csrf_token"].value
        testapp.post(
            f"/notes/{note.id}/edit",
            {"csrf_token": token, "content": "Theirs", "version_id": str(note.version_id)},
            status=403,
        )
    assert note.content == "Mine"


def test_an_author_who_left_the_project_can_no_longer_change_it(testapp, dbsession, shot, artist):
    note = add_note(dbsession, artist, shot.project, "Before I left", task=shot)
    remove_member(dbsession, shot.project, user_id=artist.id)
    as_user(testapp, artist).get(f"/notes/{note.id}/edit", status=403)


def test_members_read_the_history_and_outsiders_do_not(
    testapp, dbsession, shot, artist, supervisor, outsider
):
    note = add_note(dbsession, artist, shot.project, "One", task=shot)
    edit_note(dbsession, note, artist, "Two", note.version_id)
    page = as_user(testapp, supervisor).get(f"/notes/{note.id}/history")
    assert page.html.h1.get_text() == f"Artist's note on {shot.project.code} / Animation"
    assert "Change it again" not in page.text
    as_user(testapp, outsider).get(f"/notes/{note.id}/history", status=403)
