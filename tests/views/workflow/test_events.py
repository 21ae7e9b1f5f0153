"""Pages publish the services' domain events to the app's Pyramid subscribers; a refused form
publishes none."""

from datetime import timedelta

import pytest

from stalker_web.events import TaskStatusChanged, TimeLogged

from .helpers import MONDAY, logged_in


@pytest.fixture
def received(app):
    """Events of the kinds a notification would follow, as the app's subscribers receive them."""
    events = []
    kinds = (TaskStatusChanged, TimeLogged)
    for kind in kinds:
        app.registry.registerHandler(events.append, (kind,))
    yield events
    for kind in kinds:
        app.registry.unregisterHandler(events.append, (kind,))


def moment(value):
    return value.strftime("%Y-%m-%dT%H:%M")


def test_logging_time_on_the_page_reaches_the_subscribers(testapp, shot, artist, received):
    form = logged_in(testapp, artist).get(f"/tasks/{shot.id}/time-logs").forms["time-log-form"]
    form["start"], form["end"] = moment(MONDAY), moment(MONDAY + timedelta(hours=2))
    form.submit(status=303)

    (log,) = shot.time_logs
    assert received == [
        TaskStatusChanged(shot.id, shot.project_id, "RTS", "WIP"),
        TimeLogged(log.id, shot.id, shot.project_id, artist.id, 2 * 3600.0),
    ]


def test_a_refused_log_reaches_no_subscriber(testapp, shot, artist, received):
    form = logged_in(testapp, artist).get(f"/tasks/{shot.id}/time-logs").forms["time-log-form"]
    form["start"], form["end"] = moment(MONDAY), moment(MONDAY - timedelta(hours=1))
    form.submit(status=400)

    assert received == []
