"""Adding notes on the task, version, project and review pages: the note shows where it was
written, mentions reach the subscribers, Markdown renders inert, and a refused note comes back
with its text and what to fix."""

import io

import pytest
from sqlalchemy import func, select

from stalker_web.events import NoteAdded
from stalker_web.models import Note
from stalker_web.services.notes.attachments import Upload
from stalker_web.services.notes.notes import add_note
from stalker_web.services.versions.versions import create_version

from ..workflow.helpers import flashes, under_review
from .conftest import as_user, on_disk, png_bytes

HOSTILE = """\
<script>alert("script")</script>
<img src=x onerror="alert('img')">
<a href="javascript:alert('raw')" onclick="alert('click')">raw link</a>
[js link](javascript:alert('js')) [data link](data:text/html;base64,PHNjcmlwdD4=)
[vb](vbscript:msgbox) ![pic](javascript:alert('pic'))
[titled](https://example.com "a\\" onmouseover=\\"alert('title')")
<div style="background:url(javascript:alert('css'))">div</div>
<iframe src="https://evil.example"></iframe>
**bold** and [fine](https://example.com/ok)
"""


def note_count(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(Note))


def test_an_artist_adds_a_note_with_a_mention_on_the_task_page(
    testapp, shot, artist, supervisor, received
):
    page = as_user(testapp, artist).get(f"/tasks/{shot.id}")
    assert "No notes yet on Animation." in page.html.find(id="notes").get_text(" ")
    form = page.forms["notes-form"]
    form["content"] = f"Blocking done, @{supervisor.login} please look."
    answer = form.submit(status=303)
    [note] = received
    assert answer.location.endswith(f"/tasks/{shot.id}#note-{note.note_id}")
    assert received == [
        NoteAdded(
            note_id=note.note_id,
            project_id=shot.project_id,
            author_id=artist.id,
            mentioned_ids=(supervisor.id,),
        )
    ]
    page = answer.follow()
    assert flashes(page) == "Note added."
    shown = page.html.find(id=f"note-{note.note_id}")
    assert shown.find(class_="note-author").get_text() == "Artist"
    mention = shown.find("span", class_="mention")
    assert (mention.get_text(), mention["title"]) == (f"@{supervisor.login}", "Supervisor")


def test_markdown_renders_inert_on_the_real_page(testapp, shot, artist):
    form = as_user(testapp, artist).get(f"/tasks/{shot.id}").forms["notes-form"]
    form["content"] = HOSTILE
    page = form.submit(status=303).follow()
    [note] = page.html.select(".note")
    html = str(note)
    assert "<script" not in html and "<iframe" not in html and "<img" not in html
    assert "<div" not in html.replace('<div class="note-text">', "")
    for element in note.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")], element
        assert "style" not in element.attrs
    hrefs = [link["href"] for link in note.select(".note-text a")]
    assert hrefs == ["https://example.com", "https://example.com/ok"]
    assert "javascript:" not in "".join(hrefs) and "data:" not in "".join(hrefs)
    titled = note.find("a", string="titled")
    assert titled["title"] == "a\" onmouseover=\"alert('title')"
    text = note.find(class_="note-text").get_text(" ")
    assert '<script>alert("script")</script>' in text  # raw HTML is shown as text
    assert note.find(class_="note-text").find("strong").get_text() == "bold"


def test_an_empty_note_is_refused_on_a_page_naming_the_task(testapp, shot, artist, dbsession):
    form = as_user(testapp, artist).get(f"/tasks/{shot.id}").forms["notes-form"]
    form["content"] = "   "
    page = form.submit(status=400)
    path = f"{shot.project.code} / Animation"
    assert page.html.h1.get_text() == f"Your note on {path} was not added"
    errors = page.html.find(id="note-form-content-errors").get_text(" ", strip=True)
    assert errors == "Write the note, or attach a file to it."
    assert page.html.find(id="error-summary").find("a")["href"] == "#note-form-content"
    assert note_count(dbsession) == 0


def test_a_refused_mention_keeps_the_text_as_typed(testapp, shot, artist, outsider, dbsession):
    form = as_user(testapp, artist).get(f"/tasks/{shot.id}").forms["notes-form"]
    typed = "Could @olga check the <b>plates</b>?\n\n- first\n- second"
    form["content"] = typed
    page = form.submit(status=400)
    assert page.html.find(id="note-form-content").get_text() == typed
    errors = page.html.find(id="note-form-content-errors").get_text(" ", strip=True)
    assert errors.startswith("@olga is not on this project, so they could not read the note.")
    assert page.forms["note-form"].action.endswith(f"/tasks/{shot.id}/notes")
    assert note_count(dbsession) == 0


def test_a_refused_file_is_named_beside_the_files_and_nothing_is_kept(
    testapp, shot, artist, dbsession, folder
):
    as_user(testapp, artist)
    token = testapp.get(f"/tasks/{shot.id}").forms["notes-form"]["csrf_token"].value
    answer = testapp.post(
        f"/tasks/{shot.id}/notes",
        {"csrf_token": token, "content": "Two files"},
        upload_files=[
            ("attachment", "frame.png", png_bytes()),
            ("attachment", "notes.docx", b"PK\x03\x04 not accepted"),
        ],
        status=400,
    )
    errors = answer.html.find(id="note-form-attachment-errors").get_text(" ", strip=True)
    assert errors.startswith("Files of type .docx are not accepted; accepted types: .png,")
    assert "The files you chose were not kept: choose them again." in answer.text
    assert answer.html.find(id="note-form-content").get_text() == "Two files"
    assert on_disk(folder) == []
    assert note_count(dbsession) == 0


def test_someone_outside_the_project_cannot_add_notes(testapp, shot, outsider, dbsession):
    as_user(testapp, outsider)
    token = testapp.get("/").html.find("input", attrs={"name": "csrf_token"})["value"]
    testapp.post(f"/tasks/{shot.id}/notes", {"csrf_token": token, "content": "Hi"}, status=403)
    assert note_count(dbsession) == 0


def test_notes_on_the_version_and_project_pages(testapp, dbsession, shot, artist, lead):
    version = create_version(dbsession, shot)
    page = as_user(testapp, lead).get(f"/versions/{version.id}")
    assert "No notes yet on this version." in page.text
    form = page.forms["notes-form"]
    form["content"] = "Nice arcs"
    page = form.submit(status=303).follow()
    assert [n.get_text() for n in page.html.select("#notes .note-text p")] == ["Nice arcs"]
    assert dbsession.scalars(select(Note.noted_version_id)).one() == version.id

    page = testapp.get(f"/projects/{shot.project_id}")
    assert "No notes yet on Film as a whole." in page.text
    form = page.forms["notes-form"]
    form["content"] = "Delivery moved to Friday"
    answer = form.submit(status=303)
    assert f"/projects/{shot.project_id}#note-" in answer.location
    page = answer.follow()
    assert "Delivery moved to Friday" in page.html.find(id="notes").get_text()
    assert "Nice arcs" not in page.html.find(id="notes").get_text()


def test_a_note_on_a_review_goes_back_to_the_page_it_came_from(
    testapp, dbsession, factory, project, artist, supervisor
):
    task, [review] = under_review(dbsession, factory, project, artist, [supervisor], "Comp", 0)
    as_user(testapp, supervisor)
    token = testapp.get("/").html.find("input", attrs={"name": "csrf_token"})["value"]
    answer = testapp.post(
        f"/reviews/{review.id}/notes",
        {"csrf_token": token, "content": "Edges flicker", "next": "/reviews"},
        status=303,
    )
    note = dbsession.scalars(select(Note)).one()
    assert note.review_id == review.id
    assert answer.location == f"http://example.com/reviews#note-{note.id}"
    answer = testapp.post(
        f"/reviews/{review.id}/notes", {"csrf_token": token, "content": ""}, status=400
    )
    heading = f"Your note on the review of {project.code} / Comp was not added"
    assert answer.html.h1.get_text() == heading


def test_the_task_page_takes_the_same_queries_however_many_notes(
    testapp, dbsession, shot, artist, supervisor, queries_of
):
    def add_notes(count: int) -> None:
        for number in range(count):
            add_note(
                dbsession,
                artist,
                shot.project,
                f"Note {number} for @{supervisor.login}",
                task=shot,
                attachments=[Upload(f"frame{number}.png", io.BytesIO(png_bytes()))],
            )

    as_user(testapp, artist)
    add_notes(1)
    one = queries_of(testapp, f"/tasks/{shot.id}")
    add_notes(9)
    assert queries_of(testapp, f"/tasks/{shot.id}") == one


@pytest.mark.parametrize(
    "fields",
    [
        {"content": "with a \x00 NUL"},
        {"content": "x" * 20_001},
        {"content": "text", "attachment": "not a file"},
        {"content": ["two", "texts"]},
        {"content": "fine", "next": "https://evil.example/"},
    ],
)
def test_malformed_note_forms_are_refused_or_ignored_never_fail(
    testapp, dbsession, shot, artist, fields
):
    token = as_user(testapp, artist).get(f"/tasks/{shot.id}").forms["notes-form"]["csrf_token"]
    answer = testapp.post(
        f"/tasks/{shot.id}/notes",
        {"csrf_token": token.value, **fields},
        status="*",
    )
    assert answer.status_int in (303, 400)
    if answer.status_int == 303:
        assert answer.location.startswith(f"http://example.com/tasks/{shot.id}#note-")
