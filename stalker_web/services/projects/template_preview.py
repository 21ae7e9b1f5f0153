"""A filename template's preview: what unsaved path and file name sources give for the next
version of a task of a project using the structure, through the renderer uploads use."""

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ...models import Structure, Task
from ..errors import ValidationError
from ..tasks.commands import ancestors
from ..tasks.paths import task_path
from ..tasks.search import FoundTask, studio_task_page
from ..versions.file_paths import RenderedPath, filename_values, rendered_path, version_value
from ..versions.versions import next_version_number
from .structures import checked_sources, projects_using

# The extension the preview's file name gets (the upload's real one is known only then).
PREVIEW_EXTENSION = ".exr"
MATCHES_SHOWN = 8


@dataclass(frozen=True)
class TemplatePreview:
    """What the preview shows: the tasks found for ``query``, the one previewed (``task``, by
    its ``task_path``), and either what the template gives (``rendered``) or why it cannot
    (``problem``: the message saving would give, with its field); ``empty`` says why there is
    nothing to preview yet."""

    query: str
    matches: list[FoundTask] = field(default_factory=list)
    task: Task | None = None
    task_path: str = ""
    version_number: int = 0
    rendered: RenderedPath | None = None
    problem: ValidationError | None = None
    notes: list[str] = field(default_factory=list)
    empty: str = ""


def _chosen(dbsession: Session, task_id: int | None, project_ids: list[int]) -> Task | None:
    task = dbsession.get(Task, task_id) if task_id is not None else None
    return task if task is not None and task.project_id in project_ids else None


def _notes(task: Task, target: str | None, sources: str) -> list[str]:
    notes = []
    if target and target != task.entity_type:
        notes.append(
            f"This task is a {task.entity_type}: its files are named by the structure's "
            f"{task.entity_type} template, not by this {target} template. The preview shows "
            "what this one would give."
        )
    if "version.id" in sources:
        notes.append("A version gets its id when it is stored; the preview uses 0.")
    return notes


def preview_template(
    dbsession: Session,
    structure: Structure,
    *,
    name: str | None,
    target_entity_type: str | None,
    path: str | None,
    filename: str | None,
    query: str,
    task_id: int | None,
) -> TemplatePreview:
    """What the sources ``path`` and ``filename`` give for the next version of a task of a
    project using ``structure``: the task ``task_id`` if it is one, else the first of those
    whose path holds the words of ``query`` (or whose id it is). Nothing is written."""
    projects = projects_using(dbsession, [structure.id]).get(structure.id, [])
    if not projects:
        return TemplatePreview(
            query,
            empty=f"No project uses {structure.name} yet, so there is no task to preview with: "
            "choose this structure in a project's settings first.",
        )
    project_ids = [project.id for project in projects]
    matches = (
        studio_task_page(dbsession, query, 1, MATCHES_SHOWN, project_ids).items if query else []
    )
    task = _chosen(dbsession, task_id, project_ids) or (matches[0].task if matches else None)
    if task is None:
        names = ", ".join(project.name for project in projects)
        empty = (
            f"No task of {names} matches “{query}”."
            if query
            else f"Search for a task of {names} to see what this template gives for it."
        )
        return TemplatePreview(query, empty=empty)
    chain = [*ancestors(dbsession, task), task]
    found = next((item for item in matches if item.task.id == task.id), None)
    if found is None:
        found = FoundTask(task, task.project, task_path(dbsession, task))
        matches = [found, *matches]
    try:
        sources = checked_sources(path, filename)
        repository = task.project.repository
        if repository is None:
            raise ValidationError(
                f"Project {task.project.name} has no repository: add one in its settings so "
                "files have somewhere to go."
            )
        number = next_version_number(dbsession, task, 1)
        values = filename_values(chain, version_value(chain, number), PREVIEW_EXTENSION)
        rendered = rendered_path(name or "being written", sources, repository, values)
    except ValidationError as error:
        return TemplatePreview(query, matches, task, found.path, problem=error)
    return TemplatePreview(
        query,
        matches,
        task,
        found.path,
        version_number=number,
        rendered=rendered,
        notes=_notes(task, target_entity_type, "".join(sources)),
    )
