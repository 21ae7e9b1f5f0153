"""Files attached to notes through the page: shown as thumbnails or links, served with the same
headers as version files to whoever reads the project, and gone again when the transaction
rolls back."""

import io

from PIL import Image

from stalker_web.headers import CONTENT_SECURITY_POLICY
from stalker_web.models import NoteAttachment
from stalker_web.services.notes.attachments import Upload
from stalker_web.services.notes.notes import add_note

from .conftest import as_user, on_disk, png_bytes

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def attach(testapp, shot, files):
    token = testapp.get(f"/tasks/{shot.id}").forms["notes-form"]["csrf_token"].value
    return testapp.post(
        f"/tasks/{shot.id}/notes",
        {"csrf_token": token, "content": "Frames"},
        upload_files=[("attachment", name, content) for name, content in files],
        status="*",
    )


def test_a_picture_shows_as_a_thumbnail_and_a_pdf_as_a_link(
    testapp, dbsession, studio_config, shot, artist
):
    as_user(testapp, artist)
    picture_bytes = png_bytes((1600, 900))
    page = attach(testapp, shot, [("Frame 12.png", picture_bytes), ("notes.pdf", PDF)]).follow()
    picture, document = dbsession.query(NoteAttachment).order_by(NoteAttachment.id)
    files = page.html.select("#notes .note-file")
    assert [f.find(class_="note-file-name").get_text() for f in files] == [
        "Frame 12.png",
        "notes.pdf",
    ]
    thumbnail = files[0].find("img")
    assert thumbnail["src"].endswith(f"/notes/attachments/{picture.id}/thumbnail")
    assert files[0].a["href"].endswith(f"/notes/attachments/{picture.id}")
    assert files[1].find("img") is None

    image = testapp.get(thumbnail["src"])
    assert image.content_type == "image/png"
    with Image.open(io.BytesIO(image.body)) as opened:
        assert max(opened.size) == studio_config["uploads"]["thumbnail_pixels"]

    download = testapp.get(f"/notes/attachments/{document.id}")
    assert download.body == PDF
    assert download.content_type == "application/pdf"
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"notes.pdf\"; filename*=UTF-8''notes.pdf"
    )
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert download.headers["Cache-Control"] == "private, max-age=300"
    testapp.get(f"/notes/attachments/{document.id}/thumbnail", status=404)


def test_content_that_is_not_what_its_name_says_is_refused(testapp, shot, artist, folder):
    as_user(testapp, artist)
    answer = attach(testapp, shot, [("frame.png", PDF)])
    assert answer.status_int == 400
    errors = answer.html.find(id="note-form-attachment-errors").get_text(" ", strip=True)
    assert errors == "The content of frame.png is not a PNG image, although its name says so."
    assert on_disk(folder) == []


def test_only_people_reading_the_project_fetch_the_files(
    testapp, dbsession, shot, artist, supervisor, outsider
):
    note = add_note(
        dbsession,
        artist,
        shot.project,
        "",
        task=shot,
        attachments=[Upload("frame.png", io.BytesIO(png_bytes()))],
    )
    [attachment] = note.attachments
    as_user(testapp, supervisor).get(f"/notes/attachments/{attachment.id}", status=200)
    as_user(testapp, outsider)
    testapp.get(f"/notes/attachments/{attachment.id}", status=403)
    testapp.get(f"/notes/attachments/{attachment.id}/thumbnail", status=403)


def test_a_file_missing_from_the_folder_is_not_found(testapp, dbsession, shot, artist, folder):
    as_user(testapp, artist)
    attach(testapp, shot, [("notes.pdf", PDF)])
    [attachment] = dbsession.query(NoteAttachment).all()
    (folder / attachment.relative_path).unlink()
    testapp.get(f"/notes/attachments/{attachment.id}", status=404)


def test_the_files_go_when_the_request_s_transaction_rolls_back(testapp, tm, shot, artist, folder):
    as_user(testapp, artist)
    assert attach(testapp, shot, [("frame.png", png_bytes())]).status_int == 303
    assert len(on_disk(folder)) == 2
    tm.abort()
    assert on_disk(folder) == []
    tm.begin()  # the fixture aborts a transaction of its own at the end
