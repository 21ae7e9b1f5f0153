"""Fixtures of the notification tests: the activity tests' crew and publishing session, and
preferences set through the service."""

import pytest

from stalker_web.services.notifications.preferences import save_preferences

from ..activity.conftest import crew_fixture, publishing_fixture  # noqa: F401 - fixtures


@pytest.fixture(name="prefer")
def prefer_fixture(dbsession):
    """``prefer(user, kind=channel, ...)``: the user's channels, saved through the service."""

    def choose(user, **chosen: str) -> None:
        save_preferences(dbsession, user, chosen)

    return choose
