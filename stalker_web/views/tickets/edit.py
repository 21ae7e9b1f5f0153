"""Editing a ticket's own fields (summary, description, type, priority); a save made on a page
that someone changed since it was opened is refused, saying so."""

from pyramid.view import view_config

from ...forms import submit_form
from ...permissions import Permissions
from ...services.tickets.tickets import update_ticket
from ..common import in_savepoint
from .common import ticket_url, workflow_of
from .create import type_choices
from .forms import TicketEditForm


@view_config(
    route_name="tickets.edit",
    renderer="tickets/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_TICKET,
)
def ticket_edit_view(request):
    """The edit form; the POST saves the changed fields, or shows each refusal."""
    dbsession, ticket = request.dbsession, request.context.entity
    initial = {
        "summary": ticket.summary,
        "description": ticket.description,
        "type": ticket.type_id,
        "priority": ticket.priority.value,
    }
    if not request.POST:
        initial["version_id"] = ticket.version_id
    form = TicketEditForm(request.POST, data=initial)

    def save():
        changed = in_savepoint(
            request,
            lambda: update_ticket(
                dbsession,
                ticket,
                request.user,
                submitted_version=form.submitted_version(),
                summary=form.summary.data,
                description=form.description.data,
                type_id=form.type.data,
                priority=form.priority.data,
            ),
        )
        message = f"{ticket.name} saved." if changed else f"Nothing changed in {ticket.name}."
        return message, ticket_url(request, ticket)

    form.type.choices = type_choices(dbsession)
    return submit_form(request, form, save) or {
        "form": form,
        "project": ticket.project,
        "ticket": ticket,
        "label": workflow_of(request).label,
        "links": [],
        "owner": [],
    }
