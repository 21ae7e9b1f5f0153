"""Fixtures of the activity and notification tests: a project's crew around one shot task, and
the test's session dispatching its events to the app's real subscribers (as a request's does)."""

from dataclasses import dataclass

import pytest

from stalker_web.db import set_current_user
from stalker_web.events import dispatch_to
from stalker_web.models import Project, Task, User

from ...factories.projects import member


@dataclass
class Crew:
    """Film's people around its shot task: the artist works on it, the supervisor is
    responsible for it, the watcher watches it, the lead is a member without a part in it and
    the outsider is no member at all (though they watch it too)."""

    project: Project
    artist: User
    supervisor: User
    watcher: User
    lead: User
    outsider: User
    shot: Task


@pytest.fixture(name="crew")
def crew_fixture(factory):
    project = factory.project(name="Film", code="FLM")
    artist = member(project, factory.user(name="Ana Artist"))
    supervisor = member(project, factory.user(name="Sam Supervisor"))
    watcher = member(project, factory.user(name="Wes Watcher"))
    lead = member(project, factory.user(name="Lee Lead"))
    outsider = factory.user(name="Otto Outsider")
    shot = factory.task(
        project=project,
        name="Animation",
        resources=[artist],
        responsible=[supervisor],
        watchers=[watcher, outsider],
        schedule_timing=4,
        schedule_unit="h",
    )
    return Crew(project, artist, supervisor, watcher, lead, outsider, shot)


@pytest.fixture(name="publishing")
def publishing_fixture(app, dbsession):
    """The test's session, its events going to the app's subscribers; ``publishing(user)``
    names who acts from then on."""
    dispatch_to(dbsession, app.registry.notify)

    def acting_as(user: User | None) -> None:
        set_current_user(dbsession, user.id if user is not None else None)

    return acting_as
