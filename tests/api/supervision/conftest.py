"""A project with its team for the supervision part's API tests."""

from dataclasses import dataclass

import pytest

from ...factories.projects import member


@dataclass
class Team:
    """A project, a member of it (the artist), a manager of it and an outsider."""

    project: object
    artist: object
    manager: object
    outsider: object


@pytest.fixture
def team(factory) -> Team:
    project = factory.project(name="Harbour")
    artist = member(project, factory.user(name="Ada Artist"), factory.role("Artist"))
    role = factory.role("Line Producer", manages_project=True)
    manager = member(project, factory.user(name="Pia Producer"), role)
    factory.dbsession.flush()
    return Team(project, artist, manager, factory.user(name="Otto Outsider"))


def error_of(response) -> dict:
    assert response.content_type == "application/json"
    return response.json["error"]


def token_on_every_request(testapp, client) -> None:
    """Send ``client``'s token with every request of ``testapp`` (``queries_of`` sends none)."""
    authorization = client.headers()["Authorization"]
    testapp.extra_environ = {**testapp.extra_environ, "HTTP_AUTHORIZATION": authorization}
