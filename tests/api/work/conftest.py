"""A small studio for the work endpoints: a project that can name files (a structure with a
filename template, a repository in the test's folder), a leaf task of an artist reviewed by a
lead, both members, and a stranger who is in no project."""

from dataclasses import dataclass

import pytest

from stalker_web.models import Project, ProjectUser, Task, User

from ...matrix_objects import default_role


@dataclass
class WorkStudio:
    project: Project
    task: Task
    artist: User
    lead: User
    stranger: User


@pytest.fixture
def work(factory, dbsession, tmp_path) -> WorkStudio:
    artist, lead = factory.user(name="Work Artist"), factory.user(name="Work Lead")
    template = factory.filename_template(
        "Task",
        path="{{ project.code }}/{{ task.nice_name }}",
        filename="{{ task.nice_name }}_v{{ '%03d' % version.version_number }}",
    )
    project = factory.project(code="WRK", structure=factory.structure(templates=[template]))
    project.repositories.append(
        factory.repository(linux_path=str(tmp_path), windows_path="P:/", macos_path="/Volumes/P")
    )
    project.members.append(ProjectUser(user=artist, role=default_role(dbsession, "Artist")))
    project.members.append(ProjectUser(user=lead, role=default_role(dbsession, "Lead")))
    task = factory.task(project=project, name="Anim", resources=[artist], responsible=[lead])
    dbsession.flush()
    return WorkStudio(project, task, artist, lead, factory.user(name="Stranger"))
