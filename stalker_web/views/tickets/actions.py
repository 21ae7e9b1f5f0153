"""A workflow action on a ticket (POST /tickets/<id>/actions/<action>): any action of the
studio's workflow (another name is not found). A refusal about the resolution or the new owner
is shown under that field on the ticket page; any other is flashed there. Nothing is saved when
refused."""

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.tickets.actions import perform_action
from ...services.tickets.people import picked_owner_id
from ...services.tickets.workflow import action_label
from ..common import in_savepoint, refuse_and_go
from .common import ticket_url, workflow_of
from .forms import ActionForm
from .ticket_page import ticket_page_context

# The fields of the action form a refusal may name.
FORM_FIELDS = ("resolution", "owner")


@view_config(
    route_name="tickets.action",
    renderer="tickets/view.jinja2",
    request_method="POST",
    permission=Permissions.UPDATE_TICKET,
)
def ticket_action_view(request):
    """Do the action, then go back to the ticket page saying what changed."""
    dbsession, ticket = request.dbsession, request.context.entity
    workflow = workflow_of(request)
    action = request.matchdict["action"]
    if action not in workflow.moves:
        raise HTTPNotFound("The ticket workflow has no such action.")
    form = ActionForm(request.POST)
    if not form.validate():
        request.response.status_int = 400
        return ticket_page_context(request, action_form=form, failed_action=action)

    def perform():
        return perform_action(
            dbsession,
            workflow,
            ticket,
            request.user,
            action,
            submitted_version=form.submitted_version(),
            resolution=form.resolution.data or None,
            owner_id=picked_owner_id(dbsession, form.picked_owner(), "owner"),
        )

    try:
        log = in_savepoint(request, perform)
    except ValidationError as error:
        if error.field not in FORM_FIELDS:
            return refuse_and_go(request, error.message, ticket_url(request, ticket))
        form.add_service_error(error)
        request.response.status_int = 400
        return ticket_page_context(request, action_form=form, failed_action=action)
    request.session.flash(f"{action_label(action)}: {ticket.name} is now {log.to_status.name}.")
    return HTTPSeeOther(ticket_url(request, ticket))
