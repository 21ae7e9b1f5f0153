"""Files attached to notes: checked as version uploads are (type, content, size, pictures),
stored under names that cannot collide, and removed again with a refused note or a rolled-back
transaction."""

import io

import pytest
from PIL import Image
from sqlalchemy import func, select

from stalker_web.models import Note, NoteAttachment
from stalker_web.services.errors import ValidationError
from stalker_web.services.notes.attachments import (
    MAX_ATTACHMENTS,
    AttachmentStore,
    Upload,
    attachment_file,
    safe_name,
    store_of,
)
from stalker_web.services.notes.notes import add_note

from .conftest import RULES

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def png_bytes(size=(300, 150)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> Upload:
    return Upload(name, io.BytesIO(content))


def on_disk(folder) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def rows(dbsession, model) -> int:
    return dbsession.scalar(select(func.count()).select_from(model))


def test_a_picture_and_a_pdf_are_stored_per_note_with_a_thumbnail(
    dbsession, project, task, ana, store, folder
):
    note = add_note(
        dbsession,
        ana,
        project,
        "Frames attached",
        task=task,
        attachments=[upload("C:\\shots\\Frame 12 (final).PNG", png_bytes()), upload("a.pdf", PDF)],
    )
    picture, document = note.attachments
    assert (picture.original_filename, picture.mime_type, picture.size) == (
        "Frame 12 (final).PNG",
        "image/png",
        len(png_bytes()),
    )
    assert picture.relative_path.startswith(f"{note.id}/")
    assert picture.relative_path.endswith("-Frame_12_final.png")
    assert (
        picture.thumbnail_path == f"{note.id}/thumbnails/{picture.relative_path.split('/')[1]}.png"
    )
    assert document.thumbnail_path is None
    assert on_disk(folder) == sorted(
        [picture.relative_path, picture.thumbnail_path, document.relative_path]
    )
    with Image.open(attachment_file(store, picture.thumbnail_path)) as thumbnail:
        assert max(thumbnail.size) == RULES.thumbnail_pixels


def test_two_files_of_the_same_name_never_collide(dbsession, project, task, ana, store, folder):
    note = add_note(
        dbsession,
        ana,
        project,
        "Twice",
        task=task,
        attachments=[upload("a.pdf", PDF), upload("a.pdf", PDF)],
    )
    first, second = note.attachments
    assert first.relative_path != second.relative_path
    assert len(on_disk(folder)) == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "notes.docx",
            PDF,
            "Files of type .docx are not accepted; accepted types: .png, .jpg, .pdf.",
        ),
        ("notes", PDF, "notes has no extension; accepted types: .png, .jpg, .pdf."),
        ("fake.png", PDF, "The content of fake.png is not a PNG image, although its name says so."),
        ("empty.pdf", b"", "empty.pdf is empty."),
        ("big.pdf", PDF + b"0" * RULES.max_bytes, "big.pdf is larger than the 195.3 KB limit."),
        (
            "broken.png",
            b"\x89PNG\r\n\x1a\n" + b"0" * 100,
            "broken.png could not be read as an image.",
        ),
        ("", PDF, "Choose a file to upload."),
        ("x" * 253 + ".pdf", PDF, "is too long: rename the file to at most 256 characters."),
    ],
)
def test_a_refused_file_leaves_nothing_behind(
    dbsession, project, task, ana, store, folder, name, content, message
):
    good = upload("good.pdf", PDF)
    with pytest.raises(
        ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")
    ) as refused:
        add_note(
            dbsession,
            ana,
            project,
            "With files",
            task=task,
            attachments=[good, upload(name, content)],
        )
    assert refused.value.field == "attachment"
    assert on_disk(folder) == []
    assert rows(dbsession, Note) == rows(dbsession, NoteAttachment) == 0


def test_too_many_files_are_refused(dbsession, project, task, ana, store, folder):
    files = [upload(f"{number}.pdf", PDF) for number in range(MAX_ATTACHMENTS + 1)]
    with pytest.raises(ValidationError, match="A note takes at most 4 files: leave out 1 of them."):
        add_note(dbsession, ana, project, "Many", task=task, attachments=files)
    assert on_disk(folder) == []


def test_a_refused_mention_writes_no_file(dbsession, project, task, ana, olga, store, folder):
    with pytest.raises(ValidationError, match="@olga is not on this project"):
        add_note(dbsession, ana, project, "@olga", task=task, attachments=[upload("a.pdf", PDF)])
    assert on_disk(folder) == []


def test_files_are_removed_when_the_transaction_rolls_back(
    dbsession, tm, project, task, ana, store, folder
):
    add_note(dbsession, ana, project, "", task=task, attachments=[upload("a.png", png_bytes())])
    assert len(on_disk(folder)) == 2
    tm.abort()
    assert on_disk(folder) == []
    tm.begin()  # the fixture aborts a transaction of its own at the end


def test_attachment_paths_stay_inside_the_folder(store, folder):
    assert attachment_file(store, "../outside.png") is None
    assert attachment_file(store, None) is None
    assert attachment_file(store, "1/a.png") == str(folder / "1" / "a.png")


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Frame 12 (final).PNG", "Frame_12_final.png"),
        ("../../etc/passwd.pdf", "etc_passwd.pdf"),
        ("été.jpg", "t.jpg"),
        ("???.png", "file.png"),
        ("a" * 300 + ".pdf", "a" * 80 + ".pdf"),
    ],
)
def test_stored_names_are_made_of_safe_characters(name, safe):
    assert safe_name(name) == safe


def test_the_app_s_sessions_store_where_the_ini_says(dbsession, app):
    configured = store_of(dbsession)
    assert configured.folder == app.registry.settings["stalker_web.attachments_path"]
    assert configured.rules.extensions[0] == ".png"
    assert AttachmentStore.from_settings(
        {}, {"uploads": {"extensions": [".png"], "max_bytes": 10, "thumbnail_pixels": 16}}
    ).folder.endswith("var/attachments")
