"""A ticket's page: its fields, rendered description, links, related tickets, comments (the notes
section), log in words and the workflow's actions (allowed now as buttons, the others said in
words), with a search for something to link to (``?find=``)."""

from pyramid.view import view_config

from ...forms import select_choices
from ...limits import query_text
from ...permissions import Permissions
from ...services.accounts.user_search import people_by_ids
from ...services.notes.markdown import render_markdown
from ...services.tickets.choices import PRIORITY_LABELS
from ...services.tickets.linkable import find_linkable
from ...services.tickets.page import ticket_page
from ..notes.listing import notes_on_page
from .common import workflow_of
from .forms import ActionForm, RelatedForm

FIND_MAX_LENGTH = 100


def action_form_choices(form: ActionForm, workflow) -> ActionForm:
    form.resolution.choices = select_choices(
        [("", "Choose…"), *((resolution, resolution) for resolution in workflow.resolutions)]
    )
    return form


def ticket_page_context(
    request, action_form: ActionForm | None = None, failed_action: str | None = None
) -> dict:
    """What the ticket page shows; ``action_form`` is a refused action's form (``failed_action``)
    to show again with its errors."""
    dbsession, ticket = request.dbsession, request.context.entity
    workflow = workflow_of(request)
    may_update = bool(request.has_permission(Permissions.UPDATE_TICKET, request.context))
    find = query_text(request.GET, "find", max_length=FIND_MAX_LENGTH) if may_update else ""
    form = action_form or ActionForm()
    return {
        "ticket": ticket,
        "project": ticket.project,
        "label": workflow.label,
        "page": ticket_page(dbsession, workflow, ticket, request.user),
        "notes": notes_on_page(request, ticket.project, ticket=ticket),
        "description": render_markdown(ticket.description),
        "priority_label": PRIORITY_LABELS[ticket.priority],
        "may_update": may_update,
        "action_form": action_form_choices(form, workflow),
        "failed_action": failed_action,
        "new_owner": list(people_by_ids(dbsession, form.owner.data or ()).values()),
        "related_form": RelatedForm(),
        "find": find,
        "found": find_linkable(dbsession, ticket.project, find) if find else [],
    }


@view_config(
    route_name="tickets.view",
    renderer="tickets/view.jinja2",
    request_method="GET",
    permission=Permissions.LIST_TICKETS,
)
def ticket_view(request):
    """The ticket's page."""
    return ticket_page_context(request)
