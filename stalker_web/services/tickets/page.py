"""What a ticket's page shows: the ticket, what it links to, its related tickets, its log in words
and the workflow's actions for the viewer (allowed now, or why not), in a fixed number of
queries."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import Ticket, User, ticket_relations
from .actions import ActionState, allowed_actions
from .history import LogEntry, ticket_history
from .links import LinkView, links_of
from .workflow import TicketWorkflow


@dataclass(frozen=True)
class TicketPage:
    """A ticket with everything its page lists."""

    ticket: Ticket
    links: list[LinkView]
    related: list[Ticket]
    history: list[LogEntry]
    actions: list[ActionState]

    @property
    def allowed(self) -> list[ActionState]:
        return [state for state in self.actions if state.allowed]

    @property
    def refused(self) -> list[ActionState]:
        return [state for state in self.actions if not state.allowed]


def related_tickets(dbsession: Session, ticket: Ticket) -> list[Ticket]:
    """The tickets related to ``ticket``, by number, with their statuses (one query)."""
    return list(
        dbsession.scalars(
            select(Ticket)
            .join(ticket_relations, ticket_relations.c.related_ticket_id == Ticket.id)
            .where(ticket_relations.c.ticket_id == ticket.id)
            .options(joinedload(Ticket.status))
            .order_by(Ticket.number)
        )
    )


def ticket_page(
    dbsession: Session, workflow: TicketWorkflow, ticket: Ticket, viewer: User
) -> TicketPage:
    """The page of ``ticket`` as ``viewer`` sees it."""
    return TicketPage(
        ticket=ticket,
        links=links_of(dbsession, [ticket])[ticket.id],
        related=related_tickets(dbsession, ticket),
        history=ticket_history(dbsession, ticket),
        actions=allowed_actions(dbsession, workflow, ticket, viewer),
    )
