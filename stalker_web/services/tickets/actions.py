"""The workflow actions on a ticket: which the workflow allows now (and why not the others), and
performing one with its side effect, logged.

Known actions, as in Stalker: accept makes the acting person the owner (a member of the project),
resolve keeps one of the studio's resolutions, reassign gives the ticket to a member of the
project, reopen clears the resolution. A studio's own actions only move the status.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ...config.ticket_workflow import RESOLVE
from ...models import Ticket, TicketLog, User
from ..errors import ValidationError, check_version
from .log import record_change
from .people import is_member, member_owner
from .statuses import status_names, ticket_status
from .workflow import ACCEPT, REASSIGN, REOPEN, SIDE_EFFECTS, TicketWorkflow, action_label


@dataclass(frozen=True)
class ActionState:
    """One action of the workflow for one ticket: allowed now, or the reason it is not; what it
    asks for (a resolution, a new owner) and the status it leads to."""

    action: str
    label: str
    to_status: str | None = None
    reason: str | None = None

    @property
    def allowed(self) -> bool:
        return self.reason is None

    @property
    def needs_resolution(self) -> bool:
        return self.action == RESOLVE

    @property
    def needs_owner(self) -> bool:
        return self.action == REASSIGN

    @property
    def side_effect(self) -> str | None:
        """What the action does besides moving the status, in words (known actions only)."""
        return SIDE_EFFECTS.get(self.action)


def allowed_actions(
    dbsession: Session, workflow: TicketWorkflow, ticket: Ticket, actor: User
) -> list[ActionState]:
    """Every action of the workflow, in its order, for ``ticket`` as ``actor`` would act: allowed
    now, or why not, in words (two queries at most: the status names, the actor's membership)."""
    names = status_names(dbsession, workflow)
    states = []
    for action in workflow.actions:
        target = workflow.target(action, ticket.status.code)
        reason = None
        if target is None:
            reason = workflow.refusal(action, ticket.status.name, names)
        elif action == ACCEPT and not is_member(dbsession, ticket.project, actor):
            reason = (
                f"{action_label(action)}: only a member of the team of {ticket.project.name} can "
                "take a ticket on; you are not on it."
            )
        states.append(
            ActionState(action, action_label(action), names.get(target) if target else None, reason)
        )
    return states


def _resolution(workflow: TicketWorkflow, resolution: str | None) -> str:
    if not resolution:
        raise ValidationError("Choose how the ticket was resolved.", "resolution")
    if resolution not in workflow.resolutions:
        raise ValidationError("Choose a resolution from the list.", "resolution")
    return resolution


def _side_effect(
    dbsession: Session,
    workflow: TicketWorkflow,
    ticket: Ticket,
    actor: User,
    action: str,
    resolution: str | None,
    owner_id: int | None,
) -> dict[str, list[Any]]:
    """Apply what ``action`` does besides moving the status; the changes as {field: [old, new]}."""
    owner, kept = ticket.owner, ticket.resolution
    if action == ACCEPT:
        owner = actor
    elif action == REASSIGN:
        if owner_id is None:
            raise ValidationError("Choose the person who takes the ticket on.", "owner")
        owner = member_owner(dbsession, ticket.project, owner_id, "owner")
    elif action == RESOLVE:
        kept = _resolution(workflow, resolution)
    elif action == REOPEN:
        kept = ""
    changes: dict[str, list[Any]] = {}
    if owner is not ticket.owner:
        changes["owner"] = [getattr(ticket.owner, "name", None), owner.name]
        ticket.owner = owner
    if kept != ticket.resolution:
        changes["resolution"] = [ticket.resolution or None, kept or None]
        ticket.resolution = kept
    return changes


def perform_action(
    dbsession: Session,
    workflow: TicketWorkflow,
    ticket: Ticket,
    actor: User,
    action: str,
    *,
    submitted_version: int | None,
    resolution: str | None = None,
    owner_id: int | None = None,
) -> TicketLog:
    """Do ``action`` on ``ticket`` as ``actor`` from a page loaded at ``submitted_version``:
    refused in words unless the workflow allows it now; logged with the statuses and changes."""
    if action not in workflow.moves:
        raise ValidationError(f"The ticket workflow has no action “{action_label(action)}”.")
    check_version(ticket, submitted_version, ticket.name)
    [state] = [
        state
        for state in allowed_actions(dbsession, workflow, ticket, actor)
        if state.action == action
    ]
    if not state.allowed:
        raise ValidationError(state.reason)
    changes = _side_effect(dbsession, workflow, ticket, actor, action, resolution, owner_id)
    from_status = ticket.status
    to_status = ticket_status(dbsession, workflow, workflow.target(action, from_status.code))
    ticket.status = to_status
    return record_change(
        dbsession, ticket, actor, action, changes, from_status=from_status, to_status=to_status
    )
