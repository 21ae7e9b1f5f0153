"""Where a project's files lie: the repository a path is in (a path of any system, or
``$REPO<code>/...``), and the files stored at a path or under a folder of it, so a pipeline tool
holding a file on disk finds its version."""

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ...models import File, Project, Repository, Task, Version
from ...models.repository import find_repo
from ..errors import ValidationError

PATH_MAX_LENGTH = 1024


@dataclass(frozen=True)
class Location:
    """A path resolved in one of the project's repositories: the repository and the path
    relative to its root ("" for the root itself)."""

    repository: Repository
    relative_path: str


def locate(project: Project, path: str | None, field: str = "path") -> Location:
    """The repository of ``project`` holding ``path`` and the path inside it; refused in words
    when the path is empty, too long, or in none of the project's repositories."""
    path = (path or "").strip()
    if not path:
        raise ValidationError("Give the path of a file or folder.", field)
    if len(path) > PATH_MAX_LENGTH:
        raise ValidationError(f"Use at most {PATH_MAX_LENGTH} characters.", field)
    repository = find_repo(list(project.repositories), path)
    if repository is None:
        codes = ", ".join(r.code for r in project.repositories) or "none"
        raise ValidationError(
            f"This path is in none of the repositories of {project.name} ({codes}).", field
        )
    return Location(repository, repository.make_relative(path))


def files_at(project: Project, location: Location, *, under: bool) -> Select:
    """The SELECT of the project's files at ``location`` (``under``: anywhere below that
    folder), their versions and tasks loaded; not yet ordered."""
    statement = (
        select(File)
        .join(Version, Version.id == File.owner_version_id)
        .join(Task, Task.id == Version.task_id)
        .where(Task.project_id == project.id, File.repository_id == location.repository.id)
        .options(joinedload(File.version), joinedload(File.repository))
    )
    if not under:
        return statement.where(File.relative_path == location.relative_path)
    if location.relative_path:
        prefix = location.relative_path + "/"
        statement = statement.where(File.relative_path.startswith(prefix, autoescape=True))
    return statement
