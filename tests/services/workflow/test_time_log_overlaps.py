"""On PostgreSQL the exclusion constraint refuses an overlapping log that slipped past the
service's check (two requests at once), with the check's own message."""

from datetime import timedelta

import pytest

from stalker_web.services.errors import ValidationError
from stalker_web.services.workflow import time_logs

from ...factories.calendar import MONDAY


@pytest.fixture
def race_past_the_check(dbsession, monkeypatch):
    """PostgreSQL only: the service's overlap check passes as if the other request had not
    committed yet."""
    if dbsession.get_bind().dialect.name != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    monkeypatch.setattr(time_logs, "check_overlap", lambda *args, **values: None)


def test_an_overlap_racing_past_the_check_is_refused_in_words(
    dbsession, factory, artist, race_past_the_check
):
    project = factory.project()
    layout, animation = (factory.task(project=project, name=name) for name in ("Layout", "Anim"))
    time_logs.create_time_log(dbsession, layout, artist, MONDAY, MONDAY + timedelta(hours=4))
    with pytest.raises(ValidationError, match="Artist already logged time from") as error:
        time_logs.create_time_log(
            dbsession, animation, artist, MONDAY + timedelta(hours=1), MONDAY + timedelta(hours=2)
        )
    assert error.value.field == "start"
    assert "2026-03-02 09:00 UTC to 2026-03-02 13:00 UTC on Layout" in error.value.message
    assert [
        log.task.name
        for log in time_logs.time_logs_between(
            dbsession, artist, MONDAY, MONDAY + timedelta(days=1)
        )
    ] == ["Layout"]


def test_a_move_racing_past_the_check_is_refused_in_words(
    dbsession, factory, artist, race_past_the_check
):
    task = factory.task(project=factory.project(), name="Layout")
    time_logs.create_time_log(dbsession, task, artist, MONDAY, MONDAY + timedelta(hours=2))
    later = time_logs.create_time_log(
        dbsession, task, artist, MONDAY + timedelta(hours=3), MONDAY + timedelta(hours=4)
    )
    with pytest.raises(ValidationError, match="Artist already logged time from"):
        time_logs.update_time_log(
            dbsession,
            later,
            start=MONDAY + timedelta(hours=1),
            end=MONDAY + timedelta(hours=4),
            submitted_version=later.version_id,
        )
