"""Where a version's files go: the project's FilenameTemplate rendered, and the path per OS.

The template of the task's kind (``target_entity_type`` equal to the task's ``entity_type``,
no fallback, as in Stalker) is rendered in a sandbox from plain frozen values made for the
render (``template_values.FILENAME_VARIABLES``: ``project``, ``task``, ``parent_tasks`` (root
... task), ``version``, ``asset``/``sequence``/``scene``/``shot`` (the nearest of each kind up
the tree, the task included), ``type`` and ``extension`` (".exr")), never from ORM objects; a
stored template using anything else is refused before it renders. A path may start with
``$REPO<code>`` (the Stalker convention) or one of the repository's roots; either way it is
stored relative to the project's first repository, and it must stay inside it.
"""

import posixpath
import re
from dataclasses import dataclass

from jinja2 import TemplateError
from sqlalchemy.orm import Session

from ...models import FilenameTemplate, Project, Repository, Task, Version
from ...models.file import checked_relative_path
from ...models.meta import InvalidValue
from ...models.repository import OS_NAMES
from ..errors import ValidationError
from ..tasks.commands import ancestors
from .template_values import (
    FILENAME_VARIABLES,
    ProjectValue,
    RepositoryValue,
    TaskValue,
    VersionValue,
    render_template,
    template_problem,
)

_EXTENSION = re.compile(r"^\.[A-Za-z0-9_]{1,16}$")
_NOT_NICE = re.compile(r"[^A-Za-z0-9_\s-]+")
_SEPARATORS = re.compile(r"[\s-]+")
_NAMING_KINDS = ("Asset", "Shot", "Sequence")
_ABSOLUTE = re.compile(r"^([$%/]|[A-Za-z]:/)")


def nice_name(text: str) -> str:
    """Stalker's ``nice_name``: letters, digits and "_" only, spaces and dashes as "_"."""
    cleaned = _NOT_NICE.sub("", text or "").strip()
    return _SEPARATORS.sub("_", cleaned).lstrip("_")


def naming_parents(chain: list[Task]) -> list[Task]:
    """Stalker's ``naming_parents``: from the nearest Asset, Shot or Sequence of ``chain``
    (root ... task, inclusive) down to the task; all of it when there is none."""
    for index in range(len(chain) - 1, -1, -1):
        if chain[index].entity_type in _NAMING_KINDS:
            return chain[index:]
    return chain


@dataclass(frozen=True)
class RenderedPath:
    """A path inside ``repository``: ``relative_path`` is "folder/name.ext" under its root."""

    repository: Repository
    relative_path: str

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.relative_path)

    @property
    def filename(self) -> str:
        return posixpath.basename(self.relative_path)

    @property
    def full_path(self) -> str:
        """The OS-independent form: ``$REPO<code>/folder/name.ext``."""
        return f"${self.repository.env_var}/{self.relative_path}"

    def paths(self) -> dict[str, str]:
        """The absolute path on each system ("" where the repository has no root)."""
        return {
            os_name: root + self.relative_path if (root := self.repository.root(os_name)) else ""
            for os_name in OS_NAMES
        }


def checked_extension(extension: str | None) -> str:
    """ ".ext" from "ext" or ".ext"; letters, digits and "_" only."""
    text = (extension or "").strip()
    text = text if text.startswith(".") else f".{text}"
    if not _EXTENSION.match(text):
        raise ValidationError(f"{extension!r} is not a file extension such as .exr.", "extension")
    return text


def project_template(task: Task) -> tuple[FilenameTemplate, Repository]:
    """The filename template for the task's kind and the project's first repository; refused
    with what to set up when the project lacks a structure, a template or a repository."""
    project = task.project
    structure = project.structure
    if structure is None:
        raise ValidationError(
            f"Project {project.name} has no structure: choose one in its settings so file "
            "names can be generated."
        )
    template = structure.template_for(task.entity_type)
    if template is None:
        raise ValidationError(
            f"Structure {structure.name} has no filename template for {task.entity_type} "
            "tasks: add one to it."
        )
    repository = project.repository
    if repository is None:
        raise ValidationError(
            f"Project {project.name} has no repository: add one in its settings so files have "
            "somewhere to go."
        )
    return template, repository


def _task_value(task: Task) -> TaskValue:
    return TaskValue(
        id=task.id,
        name=task.name,
        code=task.code or "",
        nice_name=nice_name(task.name),
        entity_type=task.entity_type,
        type=task.type.name if task.type is not None else "",
    )


def _project_value(project: Project, repository: Repository) -> ProjectValue:
    return ProjectValue(
        id=project.id,
        name=project.name,
        code=project.code,
        nice_name=nice_name(project.name),
        type=project.type.name if project.type is not None else "",
        repository=RepositoryValue(name=repository.name, code=repository.code),
    )


def version_value(
    chain: list[Task],
    version_number: int,
    revision_number: int = 1,
    *,
    version_id: int = 0,
    created_with: str = "",
) -> VersionValue:
    """A version of ``chain``'s last task as templates see it; a version not stored yet (a
    preview's) has the id 0."""
    return VersionValue(
        id=version_id,
        version_number=version_number,
        revision_number=revision_number,
        nice_name="_".join(nice_name(node.name) for node in naming_parents(chain)),
        created_with=created_with,
    )


def filename_values(chain: list[Task], version: Version | VersionValue, extension: str) -> dict:
    """What a filename template sees for a file of ``version`` (``chain`` is root ... its
    task): plain frozen values and tuples, named as in ``FILENAME_VARIABLES``."""
    if not isinstance(version, VersionValue):
        version = version_value(
            chain,
            version.version_number,
            version.revision_number,
            version_id=version.id,
            created_with=version.created_with or "",
        )
    task = chain[-1]
    tasks = tuple(_task_value(node) for node in chain)
    nearest: dict[str, TaskValue | None] = dict.fromkeys(("Asset", "Sequence", "Scene", "Shot"))
    for node, value in zip(reversed(chain), reversed(tasks), strict=True):
        if node.entity_type in nearest and nearest[node.entity_type] is None:
            nearest[node.entity_type] = value
    return {
        "project": _project_value(task.project, task.project.repository),
        "task": tasks[-1],
        "parent_tasks": tasks,
        "version": version,
        "asset": nearest["Asset"],
        "sequence": nearest["Sequence"],
        "scene": nearest["Scene"],
        "shot": nearest["Shot"],
        "type": tasks[-1].type,
        "extension": extension,
    }


def _render(source: str, values: dict, template_name: str, part: str) -> str:
    """``source`` rendered from ``values``; refused first when it uses anything else (a template
    stored before the check, or written to the database directly)."""
    try:
        problem = template_problem(source, FILENAME_VARIABLES)
        text = render_template(source, values) if problem is None else ""
    except TemplateError as error:
        raise ValidationError(
            f"The {part} of filename template {template_name} could not be rendered: "
            f"{error.message or error}."
        ) from error
    if problem is not None:
        raise ValidationError(
            f"The {part} of filename template {template_name} {problem}. An admin must correct "
            "the template before files can be stored."
        )
    return text.strip().replace("\\", "/")


def _inside_repository(path: str, repository: Repository, template_name: str) -> str:
    """The rendered folder relative to the repository root ("" for the root itself)."""
    if _ABSOLUTE.match(path):
        found = repository.match(path)
        if found is None:
            raise ValidationError(
                f"Filename template {template_name} renders the folder {path}, which is not "
                f"inside repository {repository.name} (${repository.env_var})."
            )
        path = found[1]
    return path.strip("/")


def rendered_path(
    template_name: str, sources: tuple[str, str], repository: Repository, values: dict
) -> RenderedPath:
    """Where the (path, file name) ``sources`` of filename template ``template_name`` put a
    file, from ``values`` (``filename_values``): the one renderer of uploads and previews.

    The extension is added to the rendered file name unless the template already ends with it.
    """
    extension = values["extension"]
    folder = _inside_repository(
        _render(sources[0], values, template_name, "path"), repository, template_name
    )
    filename = _render(sources[1], values, template_name, "file name")
    if not filename or "/" in filename:
        raise ValidationError(
            f"The file name of filename template {template_name} renders {filename!r}; it must "
            "be one file name (no folders)."
        )
    if not filename.lower().endswith(extension.lower()):
        filename += extension
    try:
        relative = checked_relative_path("relative_path", posixpath.join(folder, filename))
    except InvalidValue as error:
        raise ValidationError(
            f"Filename template {template_name} renders {posixpath.join(folder, filename)}: "
            f"{error.message}"
        ) from error
    return RenderedPath(repository, relative)


def version_file_path(
    dbsession: Session, version: Version, extension: str, task_chain: list[Task] | None = None
) -> RenderedPath:
    """Where a file of ``version`` with ``extension`` goes, by the project's template.

    ``task_chain`` (root ... task) saves the ancestors query when the caller has it.
    """
    extension = checked_extension(extension)
    task = version.task
    template, repository = project_template(task)
    chain = task_chain if task_chain is not None else [*ancestors(dbsession, task), task]
    values = filename_values(chain, version, extension)
    return rendered_path(template.name, (template.path, template.filename), repository, values)
