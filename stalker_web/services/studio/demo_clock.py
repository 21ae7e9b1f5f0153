"""Dating the demo's past: the services stamp every row with the moment of loading, but the demo's
past happened over the past weeks, so each row is given the moment it happened at and the dates
are rewritten once at the end (one UPDATE per table).

Rows dated by hand (``date``) are those whose moment the demo knows (a time log's end, a review's
answer); the records the services and the events' subscribers write along the way (activity,
notifications, notes, tickets and their log, dailies) take the moment the clock shows while it
``runs``.
"""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import bindparam, event, update
from sqlalchemy.orm import Session

from ...models import Activity, Daily, Note, Notification, Ticket, TicketLog

STAMPED = (Activity, Notification, Note, Ticket, TicketLog, Daily)


class Clock:
    """The moment of what the demo is doing now (``moment``), and the dates of its rows."""

    def __init__(self, dbsession: Session) -> None:
        self.dbsession = dbsession
        self.moment: datetime | None = None
        self.dated: dict[type, dict[int, tuple[datetime, datetime]]] = defaultdict(dict)
        self._collected: list[tuple[type, int]] | None = None

    def date(
        self, model: type, row_id: int, created: datetime, updated: datetime | None = None
    ) -> None:
        """Row ``row_id`` of ``model`` was made at ``created`` and last changed at ``updated``
        (default: then)."""
        self.dated[model][row_id] = (created, updated or created)

    @contextmanager
    def running(self) -> Iterator["Clock"]:
        """While in this block, each new row of the ``STAMPED`` models is dated ``moment``."""
        event.listen(self.dbsession, "pending_to_persistent", self._made)
        try:
            yield self
        finally:
            event.remove(self.dbsession, "pending_to_persistent", self._made)

    @contextmanager
    def collecting(self) -> Iterator[list[tuple[type, int]]]:
        """While in this block (and ``running``), the new rows of the ``STAMPED`` models are
        collected as (model, id) instead, for a moment known later (``date_rows``)."""
        self._collected = collected = []
        try:
            yield collected
        finally:
            self._collected = None

    def date_rows(self, rows: list[tuple[type, int]], moment: datetime) -> None:
        """The ``rows`` collected were made at ``moment``."""
        for model, row_id in rows:
            self.date(model, row_id, moment)

    def _made(self, _session: Session, instance) -> None:
        if not isinstance(instance, STAMPED):
            return
        if self._collected is not None:
            self._collected.append((type(instance), instance.id))
        elif self.moment is not None:
            self.dated[type(instance)].setdefault(instance.id, (self.moment, self.moment))

    def write(self) -> None:
        """Give every dated row its dates (``date_updated`` where the table has one); the
        rows dated afterwards are written by the next call."""
        self.dbsession.flush()
        for model, moments in self.dated.items():
            table = model.__table__
            values = {"date_created": bindparam("created")}
            if "date_updated" in table.c:
                values["date_updated"] = bindparam("updated")
            self.dbsession.execute(
                update(table).where(table.c.id == bindparam("row_id")).values(values),
                [
                    {"row_id": row_id, "created": created, "updated": updated}
                    for row_id, (created, updated) in moments.items()
                ],
            )
        self.dated.clear()
        self.dbsession.expire_all()
