"""Fixtures of the dailies service tests: a film with two sequences of shots, each shot with an
Animation and a Lighting task (pipeline steps) of the artist's, the supervisor responsible; a
way to start a task (log an hour) and a folder for annotated images."""

from datetime import timedelta
from itertools import count

import pytest

from stalker_web.services.checked_uploads import UploadRules
from stalker_web.services.notes.attachments import AttachmentStore, use_store
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.calendar import MONDAY
from ...factories.projects import member


@pytest.fixture(name="film")
def film_fixture(factory):
    """A project named Film (code FLM)."""
    return factory.project(name="Film", code="FLM")


@pytest.fixture(name="artist")
def artist_fixture(factory, film):
    return member(film, factory.user(name="Artist"))


@pytest.fixture(name="supervisor")
def supervisor_fixture(factory, film):
    """Responsible for every shot task, so the reviewer of their reviews."""
    return member(film, factory.user(name="Supervisor"))


@pytest.fixture(name="lead")
def lead_fixture(factory, film):
    """A manager of the film who is nobody's reviewer."""
    return member(film, factory.user(name="Lead"), factory.role("Lead"))


@pytest.fixture(name="shots")
def shots_fixture(factory, film, artist, supervisor):
    """``{"SH010": {"Animation": task, "Lighting": task}, ...}``: SH010 and SH020 in SQ010,
    SH030 in SQ020; plus the sequences under "SQ010" and "SQ020"."""
    steps = {name: factory.task_type("Task", name) for name in ("Animation", "Lighting")}
    found = {}
    for sequence_code, shot_codes in (("SQ010", ("SH010", "SH020")), ("SQ020", ("SH030",))):
        sequence = factory.task("Sequence", project=film, name=sequence_code, code=sequence_code)
        found[sequence_code] = sequence
        for code in shot_codes:
            shot = factory.task("Shot", parent=sequence, name=code, code=code, sequence=sequence)
            found[code] = {
                name: factory.task(
                    parent=shot,
                    name=name,
                    type=step,
                    resources=[artist],
                    responsible=[supervisor],
                )
                for name, step in steps.items()
            }
    return found


@pytest.fixture(name="start")
def start_fixture(dbsession, artist):
    """Log an hour of the artist's on ``task`` (a later day each call): RTS -> WIP."""
    days = count()

    def log(task):
        start = MONDAY + timedelta(days=next(days))
        create_time_log(dbsession, task, artist, start, start + timedelta(hours=1))
        return task

    return log


@pytest.fixture(name="attachments_folder")
def attachments_folder_fixture(dbsession, studio_config, tmp_path):
    """Note attachments of this test go under a folder of its own."""
    folder = tmp_path / "attachments"
    use_store(dbsession, AttachmentStore(str(folder), UploadRules.from_config(studio_config)))
    return folder
