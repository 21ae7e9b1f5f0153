"""What a note is about, as pages name and link it."""

from dataclasses import dataclass

from ...models import Project
from ...services.notes.notes import NoteTarget
from ...services.tasks.paths import task_path


@dataclass(frozen=True)
class TargetLink:
    """The name and page of what a note is about."""

    name: str
    url: str


def target_link(request, project: Project, target: NoteTarget) -> TargetLink:
    """The name and page of ``target`` (``project`` itself when it names no row)."""
    entity, dbsession = target.entity, request.dbsession
    match target.column:
        case "task_id":
            url = request.route_url("tasks.view", task_id=entity.id)
            return TargetLink(task_path(dbsession, entity), url)
        case "noted_version_id":
            return TargetLink(entity.name, request.route_url("versions.view", version_id=entity.id))
        case "review_id":
            url = request.route_url("tasks.view", task_id=entity.task_id)
            return TargetLink(f"the review of {task_path(dbsession, entity.task)}", url)
        case "ticket_id":
            url = request.route_url("tickets.view", ticket_id=entity.id)
            return TargetLink(f"{entity.name}: {entity.summary}", url)
        case "daily_id":
            return TargetLink(entity.name, request.route_url("dailies.view", daily_id=entity.id))
    return TargetLink(project.name, request.route_url("projects.view", project_id=project.id))
