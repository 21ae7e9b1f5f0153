"""The task page and deleting a task with everything inside it."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...forms import VersionedForm
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.activity.history import history
from ...services.errors import ValidationError
from ...services.scheduling.critical_path import task_placement
from ...services.tasks.commands import delete_task
from ...services.tasks.details import task_details
from ...services.tasks.tree_page import TreeFilters
from ...services.versions.versions import task_versions
from ...services.workflow.pages import task_workflow_details
from ..common import readable_projects
from ..notes.listing import notes_on_page
from ..workflow.action_permissions import permitted_actions
from ..workflow.forms import TASK_REVISION_ID_PREFIX, RevisionForm, review_request_form


def _permits(request, permission: str) -> bool:
    return bool(request.has_permission(permission, request.context))


def task_page(request, revision_form: RevisionForm | None = None) -> dict:
    """What the task page shows; ``revision_form`` carries a refused revision request."""
    task, dbsession = request.context.entity, request.dbsession
    details = task_details(dbsession, task, people=request.context.people)
    versions = task_versions(
        dbsession, task, parse_page_number(request.params.get("versions_page"))
    )
    return {
        "details": details,
        "project": request.context.project,
        "filters": TreeFilters(),
        "versions": versions,
        "can_create_version": _permits(request, Permissions.CREATE_VERSION),
        "workflow": task_workflow_details(
            dbsession,
            task,
            request.user,
            responsible=details.responsible,
            is_container=bool(details.children.total),
        ),
        "permitted_actions": permitted_actions(request),
        "revision_form": revision_form or RevisionForm(id_prefix=TASK_REVISION_ID_PREFIX),
        # Reviews with material (issue 14): the version to review (the newest first) and a note.
        "review_request_form": review_request_form(
            versions.items if versions.number == 1 else task_versions(dbsession, task).items
        ),
        "placement": task_placement(
            dbsession, task, readable_projects(request), is_leaf=not details.children.total
        ),
        "can_update": _permits(request, Permissions.UPDATE_TASK),
        "can_create": _permits(request, Permissions.CREATE_TASK),
        "can_delete": _permits(request, Permissions.DELETE_TASK),
        "notes": notes_on_page(request, request.context.project, task=task),
        # Activity (issue 14): what happened to the task, its versions, reviews and notes.
        "history": history(dbsession, request.user.id, task_id=task.id),
    }


@view_config(
    route_name="tasks.view",
    renderer="tasks/view.jinja2",
    request_method="GET",
    permission=Permissions.READ_TASK,
)
def task_view(request):
    """Every field of the task, its children, dependencies both ways, its people, why it is
    scheduled where it is and its workflow (status actions, time logs, reviews)."""
    return task_page(request)


@view_config(route_name="tasks.delete", request_method="POST", permission=Permissions.DELETE_TASK)
def task_delete_view(request):
    """Delete the task and its subtree, then show its parent (or the project's tree)."""
    task = request.context.entity
    name, parent_id, project_id = task.name, task.parent_id, task.project_id
    form = VersionedForm(request.POST)
    try:
        delete_task(request.dbsession, task, submitted_version=form.submitted_version())
    except ValidationError as error:
        request.session.flash(error.message, "error")
        return HTTPSeeOther(request.route_url("tasks.view", task_id=task.id))
    request.session.flash(f"{name} deleted, with everything inside it.")
    if parent_id is not None:
        return HTTPSeeOther(request.route_url("tasks.view", task_id=parent_id))
    return HTTPSeeOther(request.route_url("projects.tasks", project_id=project_id))
