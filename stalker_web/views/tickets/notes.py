"""A comment on a ticket: a note (the notes part's ``post_note``), back to the ticket's page."""

from pyramid.view import view_config

from ...permissions import Permissions
from ..notes.adding import post_note
from .common import ticket_url


@view_config(
    route_name="tickets.notes.add", request_method="POST", permission=Permissions.CREATE_NOTE
)
def ticket_note_add_view(request):
    ticket = request.context.entity
    return post_note(request, ticket.project, ticket_url(request, ticket), ticket=ticket)
