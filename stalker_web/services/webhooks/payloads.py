"""From a domain event to webhook deliveries: the event's kind and plain JSON payload (ids,
codes, the project's code, the path of the entity's page, when it happened), and a pending
delivery for each active hook of the event's project or of the whole studio that chose the kind.
"""

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ...events import (
    Event,
    ReviewAnswered,
    ScheduleFinished,
    TaskStatusChanged,
    TicketChanged,
    VersionPublished,
)
from ...models import Project, ScheduleRun, Webhook, WebhookDelivery
from ...models.meta import utcnow
from ..activity.sentences import Target

# The kind each event class is delivered as, and the page its payload's ``path`` points to.
EVENT_KIND_OF = {
    TaskStatusChanged: "task.status_changed",
    VersionPublished: "version.published",
    ReviewAnswered: "review.answered",
    TicketChanged: "ticket.changed",
    ScheduleFinished: "schedule.finished",
}
WEBHOOK_EVENTS = tuple(EVENT_KIND_OF)
PathOf = Callable[[Target], str | None]


def _target(event: Event) -> Target:
    if isinstance(event, VersionPublished):
        return Target("version", event.version_id)
    if isinstance(event, TicketChanged):
        return Target("ticket", event.ticket_id)
    if isinstance(event, ScheduleFinished):
        return Target("schedule_run", event.run_id)
    return Target("task", event.task_id)  # a status change, a review's answer


def _project_ids(dbsession: Session, event: Event) -> list[int] | None:
    """The projects the event concerns; None for every project (a studio-wide run)."""
    if isinstance(event, ScheduleFinished):
        return dbsession.scalar(
            select(ScheduleRun.project_ids).where(ScheduleRun.id == event.run_id)
        )
    return [event.project_id]


def payload_of(
    dbsession: Session, event: Event, path_of: PathOf, occurred_at: datetime
) -> dict[str, Any]:
    """The JSON payload of ``event``: plain values only, never ORM objects."""
    project_id = getattr(event, "project_id", None)
    project_code = None
    if project_id is not None:
        project_code = dbsession.scalar(select(Project.code).where(Project.id == project_id))
    return {
        "event": EVENT_KIND_OF[type(event)],
        "occurred_at": occurred_at.isoformat(),
        **asdict(event),
        "project_code": project_code,
        "path": path_of(_target(event)),
    }


def matching_hooks(dbsession: Session, kind: str, project_ids: list[int] | None) -> list[Webhook]:
    """The active hooks told of ``kind`` for ``project_ids``: studio-wide ones, and those of the
    projects (of every project when ``project_ids`` is None)."""
    conditions = [Webhook.is_active.is_(True)]
    if project_ids is not None:
        conditions.append(or_(Webhook.project_id.is_(None), Webhook.project_id.in_(project_ids)))
    hooks = dbsession.scalars(select(Webhook).where(*conditions).order_by(Webhook.id))
    return [hook for hook in hooks if kind in (hook.kinds or ())]


def record_deliveries(dbsession: Session, event: Event, path_of: PathOf) -> list[int]:
    """A pending delivery of ``event`` for each matching hook, in ``dbsession``'s transaction;
    their ids (to hand to the queue once it has committed)."""
    kind = EVENT_KIND_OF.get(type(event))
    if kind is None:
        return []
    hooks = matching_hooks(dbsession, kind, _project_ids(dbsession, event))
    if not hooks:
        return []
    now = utcnow()
    payload = payload_of(dbsession, event, path_of, now)
    deliveries = [
        WebhookDelivery(webhook=hook, event_kind=kind, payload=payload, next_try_at=now)
        for hook in hooks
    ]
    dbsession.add_all(deliveries)
    dbsession.flush()
    return [delivery.id for delivery in deliveries]
