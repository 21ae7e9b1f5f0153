"""Opening a ticket on a project: the form (linked to the task or version it was opened from,
``?task=<id>`` or ``?version=<id>``) and its POST."""

from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config

from ...forms import select_choices, submit_form
from ...limits import query_int
from ...permissions import Permissions
from ...services.accounts.user_search import people_by_ids
from ...services.errors import ValidationError
from ...services.tickets.choices import ticket_types
from ...services.tickets.links import (
    LinkTarget,
    entity_views,
    linkable_entity,
    ticket_numbers,
)
from ...services.tickets.people import picked_owner_id
from ...services.tickets.tickets import create_ticket
from ..common import in_savepoint
from .common import ticket_url, workflow_of
from .forms import TicketCreateForm

# The query parameters naming what a new ticket is about.
OPENED_FROM = ("task", "version")


def opened_from(request, project) -> list[str]:
    """The link the form starts with: the task or version of ``project`` the query names (404
    when it names one of another project or none at all)."""
    for kind in OPENED_FROM:
        if kind in request.GET:
            target = LinkTarget(kind, query_int(request.GET, kind) or 0)
            try:
                linkable_entity(request.dbsession, project, target, kind)
            except ValidationError as error:
                raise HTTPNotFound(f"No {kind} with this id in this project.") from error
            return [str(target)]
    return []


def type_choices(dbsession) -> list:
    return select_choices(
        [("", "No type"), *((kind.id, kind.name) for kind in ticket_types(dbsession))]
    )


def _ticked_links(request, project, form: TicketCreateForm) -> list:
    """The entities whose boxes are ticked, named by their paths (damaged values left out)."""
    entities = []
    for target in form.link_targets():
        try:
            entities.append(linkable_entity(request.dbsession, project, target, "links"))
        except ValidationError:
            continue
    return entity_views(request.dbsession, entities)


def _page(request, form: TicketCreateForm, project) -> dict:
    form.type.choices = type_choices(request.dbsession)
    owner = people_by_ids(request.dbsession, form.owner.data or ())
    return {
        "form": form,
        "project": project,
        "ticket": None,
        "label": workflow_of(request).label,
        "links": _ticked_links(request, project, form),
        "owner": list(owner.values()),
    }


@view_config(
    route_name="projects.tickets.create",
    renderer="tickets/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_TICKET,
)
def ticket_create_view(request):
    """The new ticket form; the POST opens the ticket or shows each refusal under its field."""
    dbsession, project = request.dbsession, request.context.entity
    form = TicketCreateForm(request.POST, data={"links": opened_from(request, project)})

    def save():
        ticket = in_savepoint(
            request,
            lambda: create_ticket(
                dbsession,
                workflow_of(request),
                project,
                request.user,
                summary=form.summary.data,
                description=form.description.data,
                type_id=form.type.data,
                priority=form.priority.data,
                owner_id=picked_owner_id(dbsession, form.picked_owner(), "owner"),
                links=form.link_targets(),
                related_numbers=ticket_numbers(form.related.data, "related"),
            ),
        )
        return f"{ticket.name} opened: {ticket.summary}", ticket_url(request, ticket)

    return submit_form(request, form, save) or _page(request, form, project)
