"""Opening a ticket and editing its own fields (summary, Markdown description, type, priority).

A new ticket takes the next number of its project, the first status of the Ticket status list,
its reporter (who opens it), an optional owner from the project's team, its links and related
tickets. The owner changes afterwards through the workflow (accept, reassign) only, so that the
status says who has it; an edit made on a stale page is refused.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from ...models import Project, Ticket, User
from ...models.ticket import SUMMARY_LENGTH, TicketPriority
from ..errors import ValidationError, check_version
from ..notes.markdown import MAX_LENGTH as DESCRIPTION_LENGTH
from .choices import chosen_priority, chosen_type
from .links import LinkTarget, entity_views, linkable_entity, new_link, relate, tickets_by_numbers
from .log import CREATE, EDIT, record_change
from .numbering import next_ticket_number, ticket_name
from .people import member_owner
from .statuses import ticket_status
from .workflow import TicketWorkflow


def checked_summary(text: str | None) -> str:
    """A summary: one line, required, at most ``SUMMARY_LENGTH`` characters."""
    summary = " ".join((text or "").split())
    if not summary:
        raise ValidationError("Say in one line what the ticket is about.", "summary")
    if len(summary) > SUMMARY_LENGTH:
        raise ValidationError(f"Use at most {SUMMARY_LENGTH} characters.", "summary")
    return summary


def checked_description(text: str | None) -> str:
    """A Markdown description of at most ``DESCRIPTION_LENGTH`` characters (may be empty)."""
    description = (text or "").strip()
    if len(description) > DESCRIPTION_LENGTH:
        raise ValidationError(f"Use at most {DESCRIPTION_LENGTH:,} characters.", "description")
    return description


def create_ticket(
    dbsession: Session,
    workflow: TicketWorkflow,
    project: Project,
    reporter: User | None,
    *,
    summary: str | None,
    description: str | None = "",
    type_id: int | None = None,
    priority: str = TicketPriority.TRIVIAL,
    owner_id: int | None = None,
    links: Sequence[LinkTarget] = (),
    related_numbers: Sequence[int] = (),
) -> Ticket:
    """Open a ticket on ``project`` reported by ``reporter``; every value is checked before the
    number is taken, and the creation is logged with what the ticket starts with."""
    values = {
        "summary": checked_summary(summary),
        "description": checked_description(description),
        "type": chosen_type(dbsession, type_id),
        "priority": chosen_priority(priority),
        "owner": (
            member_owner(dbsession, project, owner_id, "owner") if owner_id is not None else None
        ),
    }
    entities = list(
        dict.fromkeys(linkable_entity(dbsession, project, target, "links") for target in links)
    )
    related = tickets_by_numbers(
        dbsession, project, list(related_numbers), workflow.label, "related"
    )
    status = ticket_status(dbsession, workflow, workflow.initial_code)
    number = next_ticket_number(dbsession, project)
    ticket = Ticket(
        project=project,
        number=number,
        name=ticket_name(workflow.label, number),
        status=status,
        reporter=reporter,
        **values,
    )
    dbsession.add(ticket)
    for entity in entities:
        new_link(ticket, entity)
    changes: dict[str, list[Any]] = {
        "summary": [None, ticket.summary],
        "priority": [None, ticket.priority.value],
    }
    if ticket.type is not None:
        changes["type"] = [None, ticket.type.name]
    if ticket.owner is not None:
        changes["owner"] = [None, ticket.owner.name]
    if entities:
        changes["links"] = [None, [view.label for view in entity_views(dbsession, entities)]]
    record_change(dbsession, ticket, reporter, CREATE, changes, to_status=status)
    for other in related:
        relate(dbsession, ticket, reporter, other)
    return ticket


def update_ticket(
    dbsession: Session,
    ticket: Ticket,
    actor: User | None,
    *,
    submitted_version: int | None,
    summary: str | None,
    description: str | None,
    type_id: int | None,
    priority: str,
) -> bool:
    """Save the ticket's own fields as submitted from a page loaded at ``submitted_version``;
    the changes are logged as {field: [old, new]}. False when nothing changed."""
    check_version(ticket, submitted_version, ticket.name)
    wanted = {
        "summary": checked_summary(summary),
        "description": checked_description(description),
        "type": chosen_type(dbsession, type_id),
        "priority": chosen_priority(priority),
    }
    changes = {}
    for field, value in wanted.items():
        current = getattr(ticket, field)
        if value != current:
            changes[field] = [_plain(current), _plain(value)]
            setattr(ticket, field, value)
    if not changes:
        return False
    record_change(dbsession, ticket, actor, EDIT, changes)
    return True


def _plain(value) -> Any:
    """A field's value as the log keeps it: a type by its name, a priority by its value."""
    if isinstance(value, TicketPriority):
        return value.value
    return getattr(value, "name", value)
