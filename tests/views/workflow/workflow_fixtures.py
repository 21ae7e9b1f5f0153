"""Fixtures shared by the workflow page tests (import them): a project with an artist (a plain
member, resource of the shot), a supervisor (a plain member, responsible for the shot), a
lead (manager role) and an outsider; the shot and a task waiting for it."""

from datetime import UTC, datetime

import pytest

from stalker_web.models import ProjectUser
from stalker_web.services.tasks.dependencies import add_dependency

from ...conftest import login

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)


def member(project, user, role=None):
    project.members.append(ProjectUser(user=user, role=role))
    return user


@pytest.fixture(name="project")
def project_fixture(factory):
    return factory.project(name="Film")


@pytest.fixture(name="artist")
def artist_fixture(factory, project):
    return member(project, factory.user(name="Artist"))


@pytest.fixture(name="supervisor")
def supervisor_fixture(factory, project):
    return member(project, factory.user(name="Supervisor"))


@pytest.fixture(name="lead")
def lead_fixture(factory, project):
    return member(project, factory.user(name="Lead"), factory.role("Lead"))


@pytest.fixture(name="shot")
def shot_fixture(factory, project, artist, supervisor):
    return factory.task(
        project=project,
        name="Animation",
        resources=[artist],
        responsible=[supervisor],
        schedule_timing=4,
        schedule_unit="h",
    )


@pytest.fixture(name="lighting")
def lighting_fixture(dbsession, factory, project, shot, artist):
    task = factory.task(project=project, name="Lighting", resources=[artist])
    add_dependency(dbsession, task, shot)
    return task


def logged_in(testapp, user):
    login(testapp, user.login)
    return testapp


def flashes(page) -> str:
    return " ".join(node.get_text(" ", strip=True) for node in page.html.select(".flash"))
