"""A task's upstream dependencies: search and add one, or remove one.

Stalker lets a task wait for a task of another project, and so does the service; the search
offers the task's own project by default and, on request, every project the user may read.
"""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...forms import select_choices, submit_form
from ...limits import query_text
from ...models import Task
from ...permissions import Permissions
from ...resources import TaskResource, matched_id
from ...services.errors import ValidationError
from ...services.tasks import choices
from ...services.tasks.dependencies import add_dependency, remove_dependency
from ...services.tasks.paths import task_path, task_paths
from ..common import readable_projects
from .forms import DependencyForm

EVERY_PROJECT = "all"


def _searched_project_ids(request, scope: str) -> frozenset[int] | None:
    """The projects the search looks in: the task's own by default; with ``scope=all`` every
    project whose tasks the user may read (None: all of them)."""
    if scope != EVERY_PROJECT:
        return frozenset({request.context.entity.project_id})
    readable = readable_projects(request)
    return None if readable.every else readable.ids


def _may_read(request, task: Task) -> bool:
    return bool(request.has_permission(Permissions.READ_TASK, TaskResource(task, request)))


def _chosen_upstream(request, form: DependencyForm) -> Task:
    """The task chosen to wait for, if the user may see it (else it is not offered either)."""
    upstream = choices.chosen_task(
        request.dbsession, form.depends_on.data, "depends_on", required=True
    )
    if not _may_read(request, upstream):
        raise ValidationError("Choose a task from the list.", "depends_on")
    return upstream


def _page(request, form: DependencyForm, search: str, scope: str) -> dict:
    task = request.context.entity
    dbsession = request.dbsession
    candidates = choices.dependency_candidates(
        dbsession, task, search, _searched_project_ids(request, scope)
    )
    chosen = form.depends_on.data
    if chosen is not None and chosen not in {candidate.id for candidate in candidates}:
        upstream = dbsession.get(Task, chosen)
        if upstream is not None and _may_read(request, upstream):
            candidates.insert(0, upstream)
    dependencies = choices.upstream_dependencies(dbsession, task)
    paths = task_paths(
        dbsession, [task, *candidates, *(dependency.depends_on for dependency in dependencies)]
    )
    form.depends_on.choices = select_choices(
        (candidate.id, paths[candidate.id]) for candidate in candidates
    )
    return {
        "form": form,
        "task": task,
        "project": task.project,
        "search": search,
        "scope": scope,
        "every_project": EVERY_PROJECT,
        "candidates": candidates,
        "paths": paths,
        "limit": choices.SEARCH_LIMIT,
        "dependencies": dependencies,
    }


@view_config(
    route_name="tasks.dependencies.add",
    renderer="tasks/dependency.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_TASK,
)
def dependency_add_view(request):
    """GET: search the task to wait for (``?q=``, ``?scope=all``); POST: add the dependency."""
    task = request.context.entity
    form = DependencyForm(request.POST)

    def save():
        upstream = _chosen_upstream(request, form)
        add_dependency(
            request.dbsession,
            task,
            upstream,
            dependency_target=form.dependency_target.data,
            gap_timing=form.gap_timing.data,
            gap_unit=form.gap_unit.data,
            gap_model=form.gap_model.data,
        )
        paths = task_paths(request.dbsession, [task, upstream])
        return (
            f"{paths[task.id]} now waits for {paths[upstream.id]}.",
            request.route_url("tasks.view", task_id=task.id),
        )

    # The search is kept in the query string on GET and in hidden inputs on POST.
    shown = request.POST or request.GET
    search, scope = query_text(shown, "q"), query_text(shown, "scope")
    return submit_form(request, form, save) or _page(request, form, search, scope)


@view_config(
    route_name="tasks.dependencies.remove",
    request_method="POST",
    permission=Permissions.UPDATE_TASK,
)
def dependency_remove_view(request):
    """Stop the task waiting for ``depends_on_id``; back to the task page with what happened."""
    task = request.context.entity
    upstream = request.dbsession.get(Task, matched_id(request, "depends_on_id"))
    try:
        if upstream is None:
            path = task_path(request.dbsession, task)
            raise ValidationError(f"{path} does not wait for that task any more.")
        remove_dependency(request.dbsession, task, upstream)
    except ValidationError as error:
        request.session.flash(error.message, "error")
    else:
        paths = task_paths(request.dbsession, [task, upstream])
        request.session.flash(f"{paths[task.id]} no longer waits for {paths[upstream.id]}.")
    return HTTPSeeOther(request.route_url("tasks.view", task_id=task.id))
