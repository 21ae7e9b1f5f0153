"""One entity's history: the activity records about a task, a version, a ticket or a daily,
newest first, in words for the viewer.

A task's history holds the records of its versions, reviews and notes too, since those records
name the task as well (``recording.py``).
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Activity
from .sentences import Sentence, sentences

HISTORY_LENGTH = 50


def history(
    dbsession: Session,
    viewer_id: int | None,
    *,
    task_id: int | None = None,
    version_id: int | None = None,
    ticket_id: int | None = None,
    daily_id: int | None = None,
    limit: int = HISTORY_LENGTH,
) -> list[Sentence]:
    """The latest ``limit`` records about the one entity named, newest first."""
    named = {
        Activity.task_id: task_id,
        Activity.about_version_id: version_id,
        Activity.ticket_id: ticket_id,
        Activity.daily_id: daily_id,
    }
    chosen = [(column, value) for column, value in named.items() if value is not None]
    if len(chosen) != 1:
        raise ValueError("Name exactly one entity whose history to read.")
    column, value = chosen[0]
    records = list(
        dbsession.scalars(
            select(Activity).where(column == value).order_by(Activity.id.desc()).limit(limit)
        )
    )
    return sentences(dbsession, records, viewer_id)
