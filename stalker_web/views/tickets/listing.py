"""Lists of tickets: a project's, filtered from the URL, with its CSV export, and my tickets."""

import re

from pyramid.view import view_config

from ...models.ticket import TicketPriority
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.tickets.choices import PRIORITY_LABELS, ticket_types
from ...services.tickets.export import ticket_csv_lines
from ...services.tickets.filters import CLOSED, NOBODY, OPEN, parse_filters
from ...services.tickets.listing import linked_task, my_tickets, project_tickets, ticket_owners
from ...services.tickets.statuses import ticket_statuses
from ..common import csv_lines_response
from .common import workflow_of


@view_config(
    route_name="projects.tickets",
    renderer="tickets/list.jinja2",
    request_method="GET",
    permission=Permissions.LIST_TICKETS,
)
def project_tickets_view(request):
    """A page of the project's tickets, newest first, narrowed by the filters of the URL."""
    dbsession, project = request.dbsession, request.context.entity
    workflow = workflow_of(request)
    filters = parse_filters(request.GET, workflow)
    linked = linked_task(dbsession, project, filters.linked_id)
    number = parse_page_number(request.GET.get("page"))
    return {
        "project": project,
        "filters": filters,
        "linked": linked,
        "page": project_tickets(dbsession, workflow, project, filters, number, linked),
        "statuses": list(ticket_statuses(dbsession, workflow).values()),
        "owners": ticket_owners(dbsession, project),
        "types": ticket_types(dbsession),
        "priorities": [(priority.value, PRIORITY_LABELS[priority]) for priority in TicketPriority],
        "priority_labels": PRIORITY_LABELS,
        "label": workflow.label,
        "open_filter": OPEN,
        "closed_filter": CLOSED,
        "nobody": NOBODY,
    }


def _download_name(project) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", project.code) + "_tickets.csv"


@view_config(
    route_name="projects.tickets.export",
    request_method="GET",
    permission=Permissions.LIST_TICKETS,
)
def project_tickets_export_view(request):
    """Every ticket the list's filters keep, as CSV (no paging), dates in the viewer's zone."""
    dbsession, project = request.dbsession, request.context.entity
    workflow = workflow_of(request)
    filters = parse_filters(request.GET, workflow)
    lines = ticket_csv_lines(
        dbsession,
        workflow,
        project,
        filters,
        request.time_zone,
        linked_task(dbsession, project, filters.linked_id),
    )
    return csv_lines_response(lines, _download_name(project))


@view_config(
    route_name="my.tickets",
    renderer="tickets/mine.jinja2",
    request_method="GET",
    permission=Permissions.VIEW,
)
def my_tickets_view(request):
    """The tickets I own or reported on my projects' teams, open ones first."""
    workflow = workflow_of(request)
    number = parse_page_number(request.GET.get("page"))
    return {
        "page": my_tickets(request.dbsession, workflow, request.user, number),
        "label": workflow.label,
        "priority_labels": PRIORITY_LABELS,
    }
