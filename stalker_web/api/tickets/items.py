"""A ticket as the API answers it, and the ticket workflow of the request's studio."""

from sqlalchemy.orm import Session

from ...models import Ticket
from ...services.tickets.actions import ActionState
from ...services.tickets.links import links_of
from ...services.tickets.workflow import TicketWorkflow
from ..schemas import DATE_TIME, ID, NULLABLE_ID, NULLABLE_TEXT, TEXT, schema

LINK = {
    "type": "object",
    "required": ["kind", "id", "label"],
    "properties": {
        "kind": {"enum": ["task", "version", "file"]},
        "id": ID,
        "label": {"type": "string", "description": "Its path, as the pages name it."},
    },
}
TICKET_PROPERTIES = {
    "id": ID,
    "project_id": ID,
    "number": {"type": "integer"},
    "name": {"type": "string", "description": "The label and number: Ticket #12."},
    "summary": TEXT,
    "description": {"type": "string", "description": "Markdown."},
    "type": NULLABLE_TEXT,
    "type_id": NULLABLE_ID,
    "priority": {"enum": ["TRIVIAL", "MINOR", "MAJOR", "CRITICAL", "BLOCKER"]},
    "status": {"type": "string", "description": "The status code (NEW, ACP, CLS...)."},
    "resolution": NULLABLE_TEXT,
    "owner_id": NULLABLE_ID,
    "reporter_id": NULLABLE_ID,
    "links": {"type": "array", "items": LINK},
    "related": {"type": "array", "items": {"type": "integer"}, "description": "Numbers."},
    "date_created": DATE_TIME,
    "date_updated": DATE_TIME,
}
TICKET = schema("Ticket", TICKET_PROPERTIES)
ACTION = schema(
    "TicketAction",
    {
        "action": TEXT,
        "label": TEXT,
        "allowed": {"type": "boolean"},
        "reason": {**NULLABLE_TEXT, "description": "Why not, when not allowed now."},
        "to_status": {**NULLABLE_TEXT, "description": "The name of the status it leads to."},
        "asks_for": {
            "enum": ["resolution", "owner_id", None],
            "description": "The body field the action needs (null: none).",
        },
    },
)
TICKET_DETAIL = schema(
    "TicketDetail",
    {**TICKET_PROPERTIES, "actions": {"type": "array", "items": ACTION}},
    description="A ticket with its workflow's actions for the caller (ETag: its version).",
)


def workflow_of(request) -> TicketWorkflow:
    return TicketWorkflow.from_config(request.studio_config)


def tickets_json(dbsession: Session, tickets: list[Ticket]) -> list[dict]:
    """``tickets`` (loaded with their status, type and related tickets) as API items; their
    links in a fixed number of queries."""
    links = links_of(dbsession, tickets)
    return [_ticket_json(ticket, links[ticket.id]) for ticket in tickets]


def _ticket_json(ticket: Ticket, links) -> dict:
    return {
        "id": ticket.id,
        "project_id": ticket.project_id,
        "number": ticket.number,
        "name": ticket.name,
        "summary": ticket.summary,
        "description": ticket.description,
        "type": ticket.type.name if ticket.type is not None else None,
        "type_id": ticket.type_id,
        "priority": ticket.priority.value,
        "status": ticket.status.code,
        "resolution": ticket.resolution or None,
        "owner_id": ticket.owner_id,
        "reporter_id": ticket.reporter_id,
        "links": [
            {"kind": link.target.kind, "id": link.target.id, "label": link.label} for link in links
        ],
        "related": [other.number for other in ticket.related_tickets],
        "date_created": ticket.date_created.isoformat(),
        "date_updated": ticket.date_updated.isoformat(),
    }


def action_json(state: ActionState) -> dict:
    asks_for = "resolution" if state.needs_resolution else "owner_id" if state.needs_owner else None
    return {
        "action": state.action,
        "label": state.label,
        "allowed": state.allowed,
        "reason": state.reason,
        "to_status": state.to_status,
        "asks_for": asks_for,
    }
