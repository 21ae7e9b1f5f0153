"""Fixtures shared by the page tests of workflow and project membership: a project with an
artist (a plain member, resource of the shot), a supervisor (a plain member, responsible for the
shot) and a lead (manager role); the shot and a task waiting for it."""

import pytest

from stalker_web.services.tasks.dependencies import add_dependency

from ..factories.projects import member


@pytest.fixture(name="project")
def project_fixture(factory):
    """A project named Film."""
    return factory.project(name="Film")


@pytest.fixture(name="artist")
def artist_fixture(factory, project):
    """A plain member of the project, resource of the shot."""
    return member(project, factory.user(name="Artist"))


@pytest.fixture(name="supervisor")
def supervisor_fixture(factory, project):
    """A plain member of the project, responsible for the shot."""
    return member(project, factory.user(name="Supervisor"))


@pytest.fixture(name="lead")
def lead_fixture(factory, project):
    """A member of the project in the Lead (manager) role."""
    return member(project, factory.user(name="Lead"), factory.role("Lead"))


@pytest.fixture(name="shot")
def shot_fixture(factory, project, artist, supervisor):
    """The Animation task: four hours, the artist's, the supervisor responsible."""
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
    """The artist's Lighting task, waiting for the shot."""
    task = factory.task(project=project, name="Lighting", resources=[artist])
    add_dependency(dbsession, task, shot)
    return task
