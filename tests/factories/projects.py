"""Builders of projects, repositories, filename templates and structures."""

from sqlalchemy import select

from stalker_web.models import (
    FilenameTemplate,
    Project,
    ProjectUser,
    Repository,
    StatusList,
    Structure,
)

from .counter import next_number


def member(project, user, role=None):
    """Add ``user`` to ``project`` (with ``role``) and return the user."""
    project.members.append(ProjectUser(user=user, role=role))
    return user


class ProjectsFactory:
    """Builds projects and the repositories and structures their files are laid out by."""

    def project(self, name: str | None = None, code: str | None = None, **values):
        """A project with generated name and code, in the first status of its status list."""
        number = next_number()
        status_list = self.dbsession.scalars(
            select(StatusList).where(StatusList.target_entity_type == "Project")
        ).one()
        project = Project(
            name=name or f"Project {number}",
            code=code or f"PRJ{number}",
            status=status_list.statuses[0],
            **values,
        )
        self.dbsession.add(project)
        self.dbsession.flush()
        return project

    def repository(self, code: str | None = None, **values):
        """A repository with generated code, name and Linux, Windows and macOS paths."""
        number = next_number()
        values.setdefault("name", f"Repository {number}")
        values.setdefault("linux_path", f"/mnt/repo{number}")
        values.setdefault("windows_path", f"//fileserver/repo{number}")
        values.setdefault("macos_path", f"/Volumes/repo{number}")
        repository = Repository(code=code or f"R{number}", **values)
        self.dbsession.add(repository)
        self.dbsession.flush()
        return repository

    def filename_template(self, target: str = "Task", name: str | None = None, **values):
        """A filename template for ``target`` entities, with a path and filename by default."""
        values.setdefault("path", "{{project.code}}/{{task.name}}")
        values.setdefault("filename", "{{task.name}}_v{{'%03d' % version.version_number}}")
        template = FilenameTemplate(
            name=name or f"Template {next_number()}", target_entity_type=target, **values
        )
        self.dbsession.add(template)
        self.dbsession.flush()
        return template

    def structure(self, name: str | None = None, templates=(), **values):
        """A structure holding the filename ``templates``."""
        structure = Structure(
            name=name or f"Structure {next_number()}", templates=list(templates), **values
        )
        self.dbsession.add(structure)
        self.dbsession.flush()
        return structure
