"""The Daily status list: Open while the session runs, Closed once its summary went out."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Status, StatusList, StatusListStatus
from ..errors import ValidationError

OPEN = "OPEN"
CLOSED = "CLS"


def daily_status(dbsession: Session, code: str) -> Status:
    """The status ``code`` of the Daily status list; refused when the list lacks it."""
    status = dbsession.scalar(
        select(Status)
        .join(StatusListStatus, StatusListStatus.status_id == Status.id)
        .join(StatusList, StatusList.id == StatusListStatus.status_list_id)
        .where(StatusList.target_entity_type == "Daily", Status.code == code)
    )
    if status is None:
        raise ValidationError(
            f"The Daily status list has no {code} status; ask an administrator to restore Open "
            "and Closed."
        )
    return status
