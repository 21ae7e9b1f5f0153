"""Moving a task (and everything inside it) under another parent of its project, or to the root."""

from pyramid.view import view_config

from ...forms import submit_form
from ...limits import query_text
from ...permissions import Permissions
from ...services.tasks import choices
from ...services.tasks.commands import move_task
from ...services.tasks.paths import task_paths
from .forms import MoveForm


def _page(request, form: MoveForm, search: str) -> dict:
    task = request.context.entity
    candidates = choices.parent_candidates(request.dbsession, task, search)
    paths = task_paths(request.dbsession, [task, *candidates])
    return {
        "form": form,
        "task": task,
        "project": task.project,
        "search": search,
        "candidates": candidates,
        "paths": paths,
        "limit": choices.SEARCH_LIMIT,
    }


@view_config(
    route_name="tasks.move",
    renderer="tasks/move.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_TASK,
)
def task_move_view(request):
    """GET: search the new parent (``?q=``); POST: move under it, or to the root when blank."""
    task = request.context.entity
    form = MoveForm(request.POST)

    def save():
        new_parent = choices.chosen_task(
            request.dbsession, form.parent_id(), "parent", required=False
        )
        paths = task_paths(request.dbsession, [task, *([new_parent] if new_parent else [])])
        move_task(request.dbsession, task, new_parent, submitted_version=form.submitted_version())
        where = f"under {paths[new_parent.id]}" if new_parent else "to the root of the project"
        return f"{paths[task.id]} moved {where}.", request.route_url("tasks.view", task_id=task.id)

    # The search is kept in the query string on GET and in hidden inputs on POST.
    search = query_text(request.POST or request.GET, "q")
    return submit_form(request, form, save) or _page(request, form, search)
