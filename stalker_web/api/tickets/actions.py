"""``POST /api/v1/tickets/{id}/actions/{action}``: a workflow action on a ticket (accept,
resolve, reassign, reopen, or a studio's own). An action the studio's workflow does not have
answers 404, as on the pages; one the workflow refuses now answers 422 with its reason. A GET
of the action says whether it is allowed now, with the ticket's ETag to send it with."""

from ...permissions import Permissions
from ...services.tickets.actions import allowed_actions, perform_action
from ..bodies import json_body, optional_id, text
from ..concurrency import matched_version, with_etag
from ..errors import ApiError
from ..operations import api_view
from .items import ACTION, TICKET_DETAIL, action_json, workflow_of
from .tickets import ticket_detail, with_body_fields

ACTION_BODY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "resolution": {"type": "string", "description": "What resolve asks for (fixed...)."},
        "owner_id": {"type": "integer", "minimum": 1, "description": "What reassign asks for."},
    },
}


def _action(request, workflow) -> str:
    """The action the URL names; 404 when the workflow has none of that name."""
    action = request.matchdict["action"]
    if action not in workflow.moves:
        raise ApiError(404, f"The ticket workflow has no action {action[:40]!r}.")
    return action


@api_view(
    "api.tickets.action",
    "GET",
    Permissions.LIST_TICKETS,
    summary="Whether a workflow action is allowed on a ticket now",
    tag="tickets",
    response=ACTION,
)
def ticket_action_state(context, request) -> dict:
    ticket, workflow = context.entity, workflow_of(request)
    action = _action(request, workflow)
    states = allowed_actions(request.dbsession, workflow, ticket, request.user)
    with_etag(request, ticket)
    return next(action_json(state) for state in states if state.action == action)


@api_view(
    "api.tickets.action",
    "POST",
    Permissions.UPDATE_TICKET,
    summary="Do a workflow action on a ticket",
    description="The ticket's actions (GET the ticket) say which are allowed now and why not "
    "the others, and what each asks for. An action the workflow lacks: 404.",
    tag="tickets",
    response=TICKET_DETAIL,
    body=ACTION_BODY,
    headers=("If-Match",),
    read_permission=Permissions.LIST_TICKETS,
    errors=(400, 401, 403, 404, 409, 412, 422, 428, 429),
)
def ticket_action(context, request) -> dict:
    ticket, workflow = context.entity, workflow_of(request)
    action = _action(request, workflow)
    body = json_body(request, tuple(ACTION_BODY["properties"]))
    version = matched_version(request, ticket)
    with_body_fields(
        lambda: perform_action(
            request.dbsession,
            workflow,
            ticket,
            request.user,
            action,
            submitted_version=version,
            resolution=text(body, "resolution", 64) or None,
            owner_id=optional_id(body, "owner_id"),
        )
    )
    return ticket_detail(request, ticket)
