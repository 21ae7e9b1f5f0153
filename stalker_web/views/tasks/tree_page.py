"""The task tree page and the fragments of rows it loads when a subtree is expanded."""

from pyramid.view import view_config

from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.tasks import tree_page as listing
from ...services.tasks.commands import ancestors
from ..common import parent_from_query


@view_config(
    route_name="projects.tasks",
    renderer="tasks/tree.jinja2",
    request_method="GET",
    permission=Permissions.LIST_TASKS,
)
def task_tree_view(request):
    """One level of the tree (roots, or ``?parent=``'s children) or, with filters, the matches."""
    project = request.context.entity
    filters = listing.parse_filters(request.params)
    number = parse_page_number(request.params.get("page"))
    parent = None if filters.active else parent_from_query(request, project)
    if filters.active:
        page = listing.matching_page(request.dbsession, project, filters, number)
    else:
        page = listing.children_page(request.dbsession, project, parent, filters, number)
    if parent is not None:
        page.params["parent"] = parent.id
    return {
        "project": project,
        "parent": parent,
        "parents": ancestors(request.dbsession, parent) if parent is not None else [],
        "page": page,
        "filters": filters,
        "choices": listing.filter_choices(request.dbsession, project),
        "sort_labels": listing.SORT_LABELS,
        "can_create": bool(request.has_permission(Permissions.CREATE_TASK, request.context)),
    }


@view_config(
    route_name="tasks.children",
    renderer="tasks/rows.jinja2",
    request_method="GET",
    permission=Permissions.LIST_TASKS,
)
def task_children_view(request):
    """The rows of a task's children, for the tree page to insert under it (an HTML fragment)."""
    task = request.context.entity
    filters = listing.parse_filters(request.params)
    page = listing.children_page(
        request.dbsession,
        task.project,
        task,
        filters,
        parse_page_number(request.params.get("page")),
    )
    return {"page": page, "depth": task.depth + 1, "parent": task, "filters": filters}
