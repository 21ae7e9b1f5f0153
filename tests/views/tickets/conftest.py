"""Fixtures of the ticket page tests (besides tests/views/conftest.py's project "Film" with its
artist, supervisor and lead): a shot of the project and a ticket the artist reported on it."""

import pytest

from stalker_web.services.tickets.links import LinkTarget


@pytest.fixture(name="sh010")
def sh010_fixture(factory, project):
    """Shot SH010 of the project, with its Animation task."""
    shot = factory.task("Shot", project=project, name="SH010", code="SH010")
    factory.task(parent=shot, name="Animation")
    return shot


@pytest.fixture(name="ticket")
def ticket_fixture(factory, project, artist, sh010):
    """A New ticket of the artist's about SH010."""
    return factory.ticket(
        project,
        artist,
        summary="The hat clips through the hair",
        links=[LinkTarget("task", sh010.id)],
    )
