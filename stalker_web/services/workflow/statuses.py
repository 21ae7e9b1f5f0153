"""The Task status list: read once per session, in list order, and one status looked up by code.

The codes the workflow gives tasks are in ``rules.py``; this module only finds their rows.
"""

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from ...models import Status, StatusList, StatusListStatus
from ..errors import ValidationError

_CACHE = "workflow.task_statuses"


def task_statuses(dbsession: Session) -> dict[str, Status]:
    """The statuses of the Task status list by code, in list order; one query per session, again
    when the session no longer holds one of them (the cache outlived a rolled-back transaction)
    or they were expired (one query then, rather than one refresh per status)."""
    cached = dbsession.info.get(_CACHE)
    if cached is None or any(
        status not in dbsession or inspect(status).expired for status in cached.values()
    ):
        cached = {
            status.code: status
            for status in dbsession.scalars(
                select(Status)
                .join(StatusListStatus, StatusListStatus.status_id == Status.id)
                .join(StatusList, StatusList.id == StatusListStatus.status_list_id)
                .where(StatusList.target_entity_type == "Task")
                .order_by(StatusListStatus.position)
            )
        }
        dbsession.info[_CACHE] = cached
    return cached


def task_status(dbsession: Session, code: str) -> Status:
    """The status ``code`` (``rules.WFD``, ``rules.RTS``, ...) of the Task status list; refused
    when the list lacks it (and read again next time)."""
    status = task_statuses(dbsession).get(code)
    if status is None:
        dbsession.info.pop(_CACHE, None)
        raise ValidationError(
            f"The Task status list has no {code} status; ask an administrator to restore the "
            "nine workflow statuses."
        )
    return status
