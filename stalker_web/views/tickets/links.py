"""Linking a ticket to a task, version or file of its project, and relating it to other tickets
of the project (POSTs from the ticket page, which they return to)."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...permissions import Permissions
from ...resources import matched_id
from ...services.errors import ValidationError
from ...services.tickets.links import (
    link_entity,
    relate,
    ticket_numbers,
    tickets_by_numbers,
    unlink,
    unrelate,
)
from ..common import in_savepoint, refuse_and_go
from .common import ticket_url, workflow_of
from .forms import LinkForm, RelatedForm


def _change(request, change, done):
    """Run ``change()`` in a savepoint, then flash ``done(result)`` (or the refusal) on the
    ticket page."""
    ticket = request.context.entity
    try:
        result = in_savepoint(request, change)
    except ValidationError as error:
        return refuse_and_go(request, error.message, ticket_url(request, ticket))
    request.session.flash(done(result))
    return HTTPSeeOther(ticket_url(request, ticket))


@view_config(
    route_name="tickets.links.add", request_method="POST", permission=Permissions.UPDATE_TICKET
)
def link_add_view(request):
    """Link the ticket to the posted entity (``link=task:12``)."""
    ticket, form = request.context.entity, LinkForm(request.POST)
    return _change(
        request,
        lambda: link_entity(request.dbsession, ticket, request.user, form.target()),
        lambda link: f"{ticket.name}: link added.",
    )


@view_config(
    route_name="tickets.links.remove", request_method="POST", permission=Permissions.UPDATE_TICKET
)
def link_remove_view(request):
    """Remove one of the ticket's links."""
    ticket, link_id = request.context.entity, matched_id(request, "link_id")
    return _change(
        request,
        lambda: unlink(request.dbsession, ticket, request.user, link_id),
        lambda label: f"{ticket.name} is no longer linked to {label}.",
    )


@view_config(
    route_name="tickets.related.add", request_method="POST", permission=Permissions.UPDATE_TICKET
)
def related_add_view(request):
    """Relate the ticket to the tickets of the project whose numbers were typed ("#3, #12")."""
    dbsession, ticket = request.dbsession, request.context.entity
    form = RelatedForm(request.POST)
    if not form.validate():
        message = " ".join(form.related.errors) or "Write a ticket number such as #3."
        return refuse_and_go(request, message, ticket_url(request, ticket))

    def relate_all():
        numbers = ticket_numbers(form.related.data, "related")
        label = workflow_of(request).label
        others = tickets_by_numbers(dbsession, ticket.project, numbers, label, "related")
        for other in others:
            relate(dbsession, ticket, request.user, other)
        return others

    return _change(
        request,
        relate_all,
        lambda others: f"{ticket.name} is related to {', '.join(o.name for o in others)}.",
    )


@view_config(
    route_name="tickets.related.remove",
    request_method="POST",
    permission=Permissions.UPDATE_TICKET,
)
def related_remove_view(request):
    """Undo the relation with one related ticket (on both tickets)."""
    ticket, related_id = request.context.entity, matched_id(request, "related_id")
    return _change(
        request,
        lambda: unrelate(request.dbsession, ticket, request.user, related_id),
        lambda other: f"{ticket.name} and {other.name} are no longer related.",
    )
