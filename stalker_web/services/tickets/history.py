"""A ticket's log in words: who did what and when, with what each change moved ("Status: New →
Accepted", "Owner: nobody → Ann Lee"), read in one query."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import Ticket, TicketLog
from ...models.ticket import TicketPriority
from .choices import PRIORITY_LABELS
from .log import CREATE, EDIT, LINK, RELATE, UNLINK, UNRELATE
from .workflow import PAST_TENSE, action_label

FIELD_LABELS = {
    "summary": "Summary",
    "description": "Description",
    "type": "Type",
    "priority": "Priority",
    "owner": "Owner",
    "resolution": "Resolution",
}
# The empty value of each field, in words.
_NONE = {"owner": "nobody", "resolution": "none", "type": "none"}


@dataclass(frozen=True)
class LogEntry:
    """One change in words: ``who`` ``what`` ("Ann Lee" "accepted it") at ``when``, and the
    values it changed, one line each."""

    when: datetime
    who: str
    what: str
    details: list[str] = field(default_factory=list)


def _value(name: str, value: Any) -> str:
    if value in (None, ""):
        return _NONE.get(name, "nothing")
    if name == "priority" and value in TicketPriority.__members__:
        return PRIORITY_LABELS[TicketPriority[value]]
    if name == "summary":
        return f"“{value}”"
    return str(value)


def _details(log: TicketLog) -> list[str]:
    lines = []
    if log.from_status is not None and log.to_status is not None:
        lines.append(f"Status: {log.from_status.name} → {log.to_status.name}")
    for name, label in FIELD_LABELS.items():
        if name not in log.changes or log.action == CREATE:
            continue
        old, new = log.changes[name]
        if name == "description":
            lines.append("Description changed" if old else "Description written")
        else:
            lines.append(f"{label}: {_value(name, old)} → {_value(name, new)}")
    return lines


def _what(log: TicketLog) -> str:
    changes = log.changes
    if log.action == CREATE:
        return f"opened it as {log.to_status.name}" if log.to_status else "opened it"
    if log.action == EDIT:
        return "edited it"
    if log.action in (LINK, UNLINK):
        old, new = changes.get("link", [None, None])
        return f"linked it to {new}" if log.action == LINK else f"removed its link to {old}"
    if log.action in (RELATE, UNRELATE):
        old, new = changes.get("related", [None, None])
        if log.action == RELATE:
            return f"related it to {new}"
        return f"said it is no longer related to {old}"
    done = PAST_TENSE.get(log.action)
    return f"{done} it" if done else f"chose “{action_label(log.action)}”"


def ticket_history(dbsession: Session, ticket: Ticket) -> list[LogEntry]:
    """The ticket's log in words, oldest first (one query)."""
    logs = dbsession.scalars(
        select(TicketLog)
        .where(TicketLog.ticket_id == ticket.id)
        .options(
            joinedload(TicketLog.actor),
            joinedload(TicketLog.from_status),
            joinedload(TicketLog.to_status),
        )
        .order_by(TicketLog.id)
    )
    return [
        LogEntry(
            when=log.date_created,
            who=log.actor.name if log.actor else "Someone",
            what=_what(log),
            details=_details(log),
        )
        for log in logs
    ]
