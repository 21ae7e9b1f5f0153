"""Fixtures of the ticket service tests: the studio's workflow, a project whose team has a
reporter (an artist) and a lead, someone off the team, and the events published."""

import pytest

from stalker_web.events import dispatch_to

from ...factories.projects import member


@pytest.fixture(name="workflow")
def workflow_fixture(factory):
    """The ticket workflow of the test studio's configuration (the packaged defaults)."""
    return factory.ticket_workflow()


@pytest.fixture(name="project")
def project_fixture(factory):
    """A project named Film."""
    return factory.project(name="Film", code="FLM")


@pytest.fixture(name="artist")
def artist_fixture(factory, project):
    """A member of the project: who reports the tickets."""
    return member(project, factory.user(name="Ann Artist"))


@pytest.fixture(name="lead")
def lead_fixture(factory, project):
    """A member of the project who takes tickets on."""
    return member(project, factory.user(name="Leo Lead"))


@pytest.fixture(name="stranger")
def stranger_fixture(factory):
    """An active user on no team of the project."""
    return factory.user(name="Sam Stranger")


@pytest.fixture(name="ticket")
def ticket_fixture(factory, project, artist):
    """A New ticket of the project reported by the artist."""
    return factory.ticket(project, artist, summary="The hat clips through the hair")


@pytest.fixture(name="published")
def published_fixture(dbsession):
    """The events published on the test's session, in order."""
    events = []
    dispatch_to(dbsession, events.append)
    return events
