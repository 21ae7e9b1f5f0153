"""The rows of the ticket statuses the workflow names: read once per session, found by code."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Status
from ..errors import ValidationError
from .workflow import TicketWorkflow

_CACHE = "tickets.statuses"


def ticket_statuses(dbsession: Session, workflow: TicketWorkflow) -> dict[str, Status]:
    """The Status rows of the workflow's status list by code, in list order; one query per
    session and status list (again when a cached row left the session, as after a rollback)."""
    key = (_CACHE, workflow.status_codes)
    cached = dbsession.info.get(key)
    if cached is None or any(status not in dbsession for status in cached.values()):
        rows = {
            status.code: status
            for status in dbsession.scalars(
                select(Status).where(Status.code.in_(workflow.status_codes))
            )
        }
        cached = {code: rows[code] for code in workflow.status_codes if code in rows}
        dbsession.info[key] = cached
    return cached


def ticket_status(dbsession: Session, workflow: TicketWorkflow, code: str) -> Status:
    """The status ``code``; refused when the database lacks it (a status added to the
    configuration after the database was set up)."""
    status = ticket_statuses(dbsession, workflow).get(code)
    if status is None:
        dbsession.info.pop((_CACHE, workflow.status_codes), None)
        raise ValidationError(
            f"The ticket status {code} of the studio configuration is missing from the "
            "database; an administrator adds it by running `stalker-web <ini> init`."
        )
    return status


def status_names(dbsession: Session, workflow: TicketWorkflow) -> dict[str, str]:
    """Each status code of the workflow with its name ("CLS": "Closed")."""
    return {code: status.name for code, status in ticket_statuses(dbsession, workflow).items()}
