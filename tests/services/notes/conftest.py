"""Fixtures of the notes services: a project "Film" with two members (Ana and Bruno), someone
outside it (Olga), a task, the folder attachments go to and the events published."""

import pytest

from stalker_web.events import dispatch_to
from stalker_web.services.checked_uploads import UploadRules
from stalker_web.services.notes.attachments import AttachmentStore, use_store

from ...factories.projects import member

RULES = UploadRules(extensions=(".png", ".jpg", ".pdf"), max_bytes=200_000, thumbnail_pixels=64)


@pytest.fixture
def project(factory):
    return factory.project(name="Film", code="FILM")


@pytest.fixture
def ana(factory, project):
    return member(project, factory.user(login="ana", name="Ana Lima"))


@pytest.fixture
def bruno(factory, project):
    return member(project, factory.user(login="bruno", name="Bruno Diaz"))


@pytest.fixture
def olga(factory):
    """Someone who is not on the project."""
    return factory.user(login="olga", name="Olga Berg")


@pytest.fixture
def task(factory, project):
    return factory.task(project=project, name="Layout")


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "attachments"


@pytest.fixture
def store(dbsession, folder):
    """The test's session stores attachments under ``folder``, by ``RULES``."""
    attachment_store = AttachmentStore(str(folder), RULES)
    use_store(dbsession, attachment_store)
    return attachment_store


@pytest.fixture
def published(dbsession):
    """The events the test's session publishes, in order."""
    events = []
    dispatch_to(dbsession, events.append)
    return events
