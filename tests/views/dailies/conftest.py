"""Fixtures of the dailies pages: beside the project "Film" of tests/views/conftest.py (an
artist, a supervisor responsible for the shot "Animation", a lead managing the project), an
open daily of it, the shot at work, and a folder for annotated images."""

from datetime import timedelta

import pytest

from stalker_web.services.checked_uploads import UploadRules
from stalker_web.services.dailies.dailies import create_daily
from stalker_web.services.notes.attachments import AttachmentStore, use_store
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.calendar import MONDAY
from ...pages import csrf_token


@pytest.fixture(autouse=True)
def attachments(dbsession, studio_config, tmp_path):
    """Annotated images of this test go to a folder of its own."""
    folder = tmp_path / "attachments"
    use_store(dbsession, AttachmentStore(str(folder), UploadRules.from_config(studio_config)))
    return folder


@pytest.fixture
def daily(dbsession, project):
    """An open daily of the film."""
    return create_daily(dbsession, project, "Tuesday dailies")


@pytest.fixture
def started(dbsession, shot, artist):
    """The shot at work (two hours logged)."""
    create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=2))
    return shot


def post(testapp, url, status=303, upload_files=None, **values):
    """POST ``values`` with the session's CSRF token."""
    values["csrf_token"] = csrf_token(testapp)
    return testapp.post(url, values, status=status, upload_files=upload_files)
