"""The ticket log: every change of a ticket kept as a ``TicketLog`` row and announced as a
``TicketChanged`` event (the one place that writes both)."""

from typing import Any

from sqlalchemy.orm import Session

from ...config.ticket_workflow import RECORDED_CHANGES
from ...events import TicketChanged, publish
from ...models import Status, Ticket, TicketLog, User

CREATE, EDIT, LINK, UNLINK, RELATE, UNRELATE = RECORDED_CHANGES


def record_change(
    dbsession: Session,
    ticket: Ticket,
    actor: User | None,
    action: str,
    changes: dict[str, list[Any]] | None = None,
    *,
    from_status: Status | None = None,
    to_status: Status | None = None,
) -> TicketLog:
    """Log ``action`` on ``ticket`` by ``actor`` with ``changes`` ({field: [old, new]} in plain
    values) and the statuses it moved the ticket between (none for a change that moves none),
    then publish it."""
    log = TicketLog(
        ticket=ticket,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        changes=changes or {},
    )
    dbsession.add(log)
    dbsession.flush()
    publish(
        dbsession,
        TicketChanged(
            ticket_id=ticket.id,
            project_id=ticket.project_id,
            action=action,
            log_id=log.id,
            old_status=from_status.code if from_status is not None else None,
            new_status=to_status.code if to_status is not None else None,
        ),
    )
    return log
