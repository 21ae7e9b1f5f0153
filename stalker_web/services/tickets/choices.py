"""What a ticket's fields choose from: the ticket types of the studio and the priorities, with
the words pages show for them."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Type
from ...models.ticket import TicketPriority
from ..errors import ValidationError

TICKET = "Ticket"
# Least urgent first, as the enum is.
PRIORITY_LABELS = {priority: priority.value.capitalize() for priority in TicketPriority}


def ticket_types(dbsession: Session) -> list[Type]:
    """The types a ticket may have (Defect, Enhancement...), in the studio's order."""
    return list(
        dbsession.scalars(
            select(Type).where(Type.target_entity_type == TICKET).order_by(Type.position, Type.name)
        )
    )


def chosen_type(dbsession: Session, type_id: int | None) -> Type | None:
    """The ticket type ``type_id`` (None: no type); refused under "type" when it is not one."""
    if type_id is None:
        return None
    kind = dbsession.get(Type, type_id)
    if kind is None or kind.target_entity_type != TICKET:
        raise ValidationError("Choose a ticket type from the list.", "type")
    return kind


def chosen_priority(value: str | None) -> TicketPriority:
    """The priority ``value`` ("MAJOR"); refused under "priority" when it is not one."""
    try:
        return TicketPriority(value)
    except ValueError as error:
        raise ValidationError("Choose a priority from the list.", "priority") from error
