"""Repositories: the studio's file server roots, which projects use them, and their rules."""

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Project, ProjectRepository, Repository
from ...models.repository import OS_NAMES, normalize_root
from ...pagination import Page, paginate
from ..errors import ValidationError, check_version, model_rules
from ..names import NAME_MAX_LENGTH, checked_name

ROOT_MAX_LENGTH = 256
ROOT_LABELS = {"linux": "Linux", "windows": "Windows", "macos": "macOS"}
_WINDOWS_ROOT = re.compile(r"^([A-Za-z]:/|//[^/]+/)")


@dataclass
class RepositorySummary:
    """A repository as the list shows it, with the projects that use it (by name)."""

    repository: Repository
    projects: list[Project]


def projects_using(dbsession: Session, repository_ids: list[int]) -> dict[int, list[Project]]:
    """The projects whose repository list holds each of ``repository_ids``, by name (one query)."""
    if not repository_ids:
        return {}
    rows = dbsession.execute(
        select(ProjectRepository.repository_id, Project)
        .join(Project, Project.id == ProjectRepository.project_id)
        .where(ProjectRepository.repository_id.in_(repository_ids))
        .order_by(Project.name, Project.id)
    )
    found: dict[int, list[Project]] = defaultdict(list)
    for repository_id, project in rows:
        found[repository_id].append(project)
    return found


def repository_page(dbsession: Session, number: int) -> Page:
    """One page of repositories by name, each with the projects using it: three queries."""
    page = paginate(dbsession, select(Repository).order_by(Repository.name, Repository.id), number)
    using = projects_using(dbsession, [repository.id for repository in page.items])
    return replace(
        page,
        items=[RepositorySummary(item, using.get(item.id, [])) for item in page.items],
    )


def _checked_code(dbsession: Session, code: str | None, exclude_id: int | None) -> str:
    """The code by the model's rules (required; letters, digits and _), unique without case."""
    with model_rules():
        cleaned = Repository(code=code).code  # a transient probe: the model's own code rules
    if len(cleaned) > NAME_MAX_LENGTH:
        raise ValidationError(f"Use at most {NAME_MAX_LENGTH} characters.", "code")
    same = select(func.count()).where(func.lower(Repository.code) == cleaned.lower())
    if exclude_id is not None:
        same = same.where(Repository.id != exclude_id)
    if dbsession.scalar(same):
        raise ValidationError(f"Another repository already has the code {cleaned!r}.", "code")
    return cleaned


def _checked_root(os_name: str, path: str | None) -> str:
    """A root as the model stores it, refused when relative or too long for its column."""
    root = normalize_root(path)
    field, label = f"{os_name}_path", ROOT_LABELS[os_name]
    if not root:
        return root
    if len(root) > ROOT_MAX_LENGTH:
        raise ValidationError(f"Use at most {ROOT_MAX_LENGTH} characters.", field)
    if os_name == "windows" and not _WINDOWS_ROOT.match(root):
        raise ValidationError(
            "A Windows root starts with a drive (T:/projects) or a share (//server/projects).",
            field,
        )
    if os_name != "windows" and not root.startswith("/"):
        raise ValidationError(f"A {label} root is an absolute path starting with /.", field)
    return root


def _checked_roots(
    dbsession: Session, paths: dict[str, str | None], exclude_id: int | None
) -> dict[str, str]:
    """The three roots: at least one given, each absolute and not another repository's root."""
    roots = {os_name: _checked_root(os_name, paths.get(os_name)) for os_name in OS_NAMES}
    if not any(roots.values()):
        raise ValidationError(
            "Give the root of the repository on at least one system.", "linux_path"
        )
    for os_name, root in roots.items():
        if not root:
            continue
        column = getattr(Repository, f"{os_name}_path")
        same = func.lower(column) == root.lower() if os_name == "windows" else column == root
        statement = select(Repository.name).where(same)
        if exclude_id is not None:
            statement = statement.where(Repository.id != exclude_id)
        other = dbsession.scalars(statement.limit(1)).first()
        if other is not None:
            raise ValidationError(
                f"The repository {other} already has this {ROOT_LABELS[os_name]} root.",
                f"{os_name}_path",
            )
    return roots


def _apply(
    dbsession: Session,
    repository: Repository,
    *,
    name: str | None,
    code: str | None,
    description: str | None,
    linux_path: str | None,
    windows_path: str | None,
    macos_path: str | None,
) -> None:
    """Check every value first, then set them all, so a refusal changes nothing."""
    name = checked_name(name)
    code = _checked_code(dbsession, code, repository.id)
    roots = _checked_roots(
        dbsession,
        {"linux": linux_path, "windows": windows_path, "macos": macos_path},
        repository.id,
    )
    repository.code = code
    repository.name = name
    repository.description = (description or "").strip()
    for os_name, root in roots.items():
        setattr(repository, f"{os_name}_path", root)


def create_repository(dbsession: Session, **values) -> Repository:
    """Create a repository from ``name``, ``code``, ``description`` and the three roots
    (``linux_path``, ``windows_path``, ``macos_path``); the code is unique without case."""
    repository = Repository()
    _apply(dbsession, repository, **values)
    dbsession.add(repository)
    dbsession.flush()
    return repository


def update_repository(
    dbsession: Session, repository: Repository, *, submitted_version: int | None, **values
) -> Repository:
    """Edit a repository loaded at ``submitted_version`` (same values as creating one)."""
    check_version(repository, submitted_version, "This repository")
    _apply(dbsession, repository, **values)
    dbsession.flush()
    return repository


def delete_repository(dbsession: Session, repository: Repository) -> None:
    """Delete a repository, refused while a project uses it (the message names them)."""
    using = projects_using(dbsession, [repository.id]).get(repository.id, [])
    if using:
        names = ", ".join(project.name for project in using)
        noun, its = ("project", "its") if len(using) == 1 else ("projects", "their")
        raise ValidationError(
            f"{repository.name} is used by the {noun} {names}; remove it from {its} settings first."
        )
    dbsession.delete(repository)
    dbsession.flush()
