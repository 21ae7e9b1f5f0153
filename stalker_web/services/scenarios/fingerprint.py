"""The fingerprint of the live studio a scenario is scheduled on: a SHA-256 of what the schedule
reads (calendar, projects, tasks, dependencies, people, contract windows, vacations, time logs),
so comparing and promoting can tell whether the live plan moved since the scenario's results.

The content is written in a fixed order and a fixed text form, so the same data gives the same
fingerprint on either database, whatever "now" is. The live computed dates of awaited tasks are
left out: they are results, not inputs (a live run alone does not move the plan's inputs).
"""

import hashlib
import json
from dataclasses import fields, replace
from datetime import datetime
from enum import Enum

from sqlalchemy.orm import Session

from ...models import Studio
from ...models.meta import utcnow
from ..scheduling.snapshot import StudioSnapshot, read_snapshot


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} cannot be part of a fingerprint")


def _rows(items) -> list[list]:
    return [[getattr(item, column.name) for column in fields(item)] for item in items]


def snapshot_fingerprint(snapshot: StudioSnapshot) -> str:
    """The SHA-256 (hex) of the inputs of ``snapshot``."""
    dependencies = [
        replace(row, depends_on_computed_start=None, depends_on_computed_end=None)
        for row in snapshot.dependencies
    ]
    content = [
        snapshot.studio_id,
        _rows([snapshot.calendar]),
        _rows(snapshot.projects),
        _rows(snapshot.tasks),
        _rows(dependencies),
        sorted(snapshot.resources.items()),
        sorted(snapshot.alternatives.items()),
        _rows(snapshot.time_logs),
        _rows(snapshot.users[user_id] for user_id in sorted(snapshot.users)),
        _rows(snapshot.vacations),
    ]
    text = json.dumps(content, default=_plain, separators=(",", ":"), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def live_fingerprint(dbsession: Session, studio: Studio) -> str:
    """The fingerprint of the whole studio's live data as it is now."""
    return snapshot_fingerprint(read_snapshot(dbsession, studio, None, utcnow()))
