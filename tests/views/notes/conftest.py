"""Fixtures of the notes pages: beside the project "Film" of tests/views/conftest.py (an artist,
a supervisor, a lead and the shot "Animation"), someone outside it, the folder attachments go to,
a picture to attach and the NoteAdded events the app's subscribers receive."""

import io

import pytest
from PIL import Image

from stalker_web.events import NoteAdded, NoteEdited
from stalker_web.services.checked_uploads import UploadRules
from stalker_web.services.notes.attachments import AttachmentStore, use_store

from ...conftest import login


@pytest.fixture
def outsider(factory):
    """Someone who is not on the project."""
    return factory.user(login="olga", name="Olga Berg")


@pytest.fixture(autouse=True)
def folder(dbsession, studio_config, tmp_path):
    """The test's session (and so the app's requests) store attachments here."""
    attachments = tmp_path / "attachments"
    use_store(dbsession, AttachmentStore(str(attachments), UploadRules.from_config(studio_config)))
    return attachments


@pytest.fixture
def received(app):
    """The note events, as the app's subscribers receive them."""
    events = []
    kinds = (NoteAdded, NoteEdited)
    for kind in kinds:
        app.registry.registerHandler(events.append, (kind,))
    yield events
    for kind in kinds:
        app.registry.unregisterHandler(events.append, (kind,))


def png_bytes(size=(320, 180)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def on_disk(folder) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def as_user(testapp, user):
    """``testapp`` logged in as ``user`` through the login form."""
    login(testapp, user.login)
    return testapp
