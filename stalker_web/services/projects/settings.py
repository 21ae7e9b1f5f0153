"""Project settings: type, stereoscopy, structure and the ordered repositories; deleting one."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Project, ProjectRepository, Repository, Structure, Type
from ...models.meta import InvalidValue
from ..errors import ValidationError, check_version
from .structures import all_structures

REPOSITORY_ACTIONS = ("add", "up", "down", "remove")


@dataclass
class SettingsChoices:
    """What the settings page offers: project types, structures and repositories not yet used."""

    types: list[Type]
    structures: list[Structure]
    repositories: list[Repository]


def project_types(dbsession: Session) -> list[Type]:
    """The Types whose target is Project, by name."""
    return list(
        dbsession.scalars(
            select(Type).where(Type.target_entity_type == "Project").order_by(Type.name, Type.id)
        )
    )


def settings_choices(dbsession: Session, project: Project) -> SettingsChoices:
    """The choices of the settings page: three queries."""
    used = select(ProjectRepository.repository_id).where(ProjectRepository.project_id == project.id)
    return SettingsChoices(
        types=project_types(dbsession),
        structures=all_structures(dbsession),
        repositories=list(
            dbsession.scalars(
                select(Repository)
                .where(Repository.id.not_in(used))
                .order_by(Repository.name, Repository.id)
            )
        ),
    )


def _project_type(dbsession: Session, type_id: int | None) -> Type | None:
    if type_id is None:
        return None
    kind = dbsession.get(Type, type_id)
    if kind is None:
        raise ValidationError("That type does not exist any more; choose another.", "type_id")
    return kind


def _structure(dbsession: Session, structure_id: int | None) -> Structure | None:
    if structure_id is None:
        return None
    structure = dbsession.get(Structure, structure_id)
    if structure is None:
        raise ValidationError(
            "That structure does not exist any more; choose another.", "structure_id"
        )
    return structure


def update_project_settings(
    dbsession: Session,
    project: Project,
    *,
    submitted_version: int | None,
    type_id: int | None,
    is_stereoscopic: bool,
    structure_id: int | None,
) -> Project:
    """Set the type (a Type for projects), stereoscopy and structure of a project loaded at
    ``submitted_version``; nothing is set when one of them is refused."""
    check_version(project, submitted_version, "This project")
    kind = _project_type(dbsession, type_id)
    structure = _structure(dbsession, structure_id)
    try:
        project.type = kind
    except InvalidValue as error:
        raise ValidationError(error.message, "type_id") from error
    project.structure = structure
    project.is_stereoscopic = bool(is_stereoscopic)
    dbsession.flush()
    return project


def _position_of(project: Project, repository_id: int | None) -> int:
    for index, link in enumerate(project.project_repositories):
        if link.repository_id == repository_id:
            return index
    raise ValidationError(
        f"That repository is not one of the repositories of {project.name} any more; "
        "reload the page."
    )


def add_repository(dbsession: Session, project: Project, repository_id: int | None) -> Repository:
    """Put a repository at the end of the project's list; each repository appears once."""
    if repository_id is None:
        raise ValidationError("Choose a repository to add.", "repository_id")
    repository = dbsession.get(Repository, repository_id)
    if repository is None:
        raise ValidationError(
            "That repository does not exist any more; choose another.", "repository_id"
        )
    if any(link.repository_id == repository.id for link in project.project_repositories):
        raise ValidationError(
            f"{repository.name} is already one of the repositories of {project.name}.",
            "repository_id",
        )
    project.repositories.append(repository)
    dbsession.flush()
    return repository


def move_repository(
    dbsession: Session, project: Project, repository_id: int | None, step: int
) -> Repository:
    """Move a repository one place earlier (``step`` -1) or later (+1) in the project's list."""
    links = project.project_repositories
    index = _position_of(project, repository_id)
    other = index + step
    if not 0 <= other < len(links):
        where = "first" if step < 0 else "last"
        raise ValidationError(f"{links[index].repository.name} is already {where}.")
    links[index].position, links[other].position = links[other].position, links[index].position
    dbsession.flush()
    dbsession.expire(project, ["project_repositories"])
    return project.project_repositories[other].repository


def remove_repository(
    dbsession: Session, project: Project, repository_id: int | None
) -> Repository:
    """Take a repository out of the project's list (the repository itself stays)."""
    links = project.project_repositories
    link = links[_position_of(project, repository_id)]
    links.remove(link)
    dbsession.flush()
    return link.repository


def change_repositories(
    dbsession: Session, project: Project, *, action: str | None, repository_id: int | None
) -> Repository:
    """Apply one of :data:`REPOSITORY_ACTIONS` to the project's ordered repositories and
    return the repository it concerned."""
    if action == "add":
        return add_repository(dbsession, project, repository_id)
    if action in ("up", "down"):
        return move_repository(dbsession, project, repository_id, -1 if action == "up" else 1)
    if action == "remove":
        return remove_repository(dbsession, project, repository_id)
    raise ValidationError("Unknown action; use the buttons of the settings page.")


def delete_project(dbsession: Session, project: Project, *, confirmation: str | None) -> None:
    """Delete ``project`` with its whole task tree, its memberships and its repository list
    (the database cascades), once ``confirmation`` is the project's code."""
    if (confirmation or "").strip() != project.code:
        raise ValidationError(
            f"Type the code of the project, {project.code}, to delete it.", "confirmation"
        )
    dbsession.delete(project)
    dbsession.flush()
