"""The large studio's supervision records, so the benchmarks measure the ticket list, the inbox,
the feed and a daily on a production's worth of them: tickets with their log, activity records,
notifications, published versions and a daily of 50 of them.

Built in bulk like the studio's tasks (the services' one-at-a-time checks are too slow for tens
of thousands of rows); each row is one the services could have written: ticket numbers count up
per project with the project's counter, every record names a task of its own project, every
notification a record of a project its recipient is a member of.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...config import load_studio_config
from ...models import (
    Activity,
    DailyVersion,
    Notification,
    NotificationChannel,
    Project,
    Task,
    Ticket,
    TicketLink,
    TicketLog,
    Type,
    User,
    Version,
)
from ...models.ticket import TicketPriority
from ..activity.kinds import ActivityKind
from ..bulk_insert import insert_rows
from ..dailies.dailies import create_daily
from ..errors import model_rules
from ..tickets.numbering import ticket_name
from ..tickets.statuses import ticket_statuses
from ..tickets.workflow import TicketWorkflow

# At scale 1.0, per project unless said otherwise.
FULL_SIZE = {"tickets": 1000, "activities": 10000, "notifications_per_user": 250, "versions": 500}
DAILY_VERSIONS = 50
UNREAD_SHARE = 0.25
# Status moves the activity records tell of (old, new).
MOVES = (("RTS", "WIP"), ("WIP", "PREV"), ("PREV", "CMPL"), ("PREV", "HREV"), ("HREV", "WIP"))


@dataclass
class SupervisionCounts:
    """How many of each record ``add_supervision`` wrote."""

    tickets: int = 0
    activities: int = 0
    notifications: int = 0
    versions: int = 0
    daily_versions: int = 0


def _scaled(name: str, scale: float) -> int:
    return max(1, round(FULL_SIZE[name] * scale))


def _insert(dbsession: Session, model: type, rows: list[dict]) -> None:
    insert_rows(dbsession, model.__table__, rows)


class _Supervision:
    def __init__(self, dbsession: Session, rng: random.Random, scale: float, now: datetime):
        self.dbsession, self.rng, self.scale, self.now = dbsession, rng, scale, now
        self.workflow = TicketWorkflow.from_config(load_studio_config())
        self.statuses = ticket_statuses(dbsession, self.workflow)
        self.types = list(
            dbsession.scalars(select(Type.id).where(Type.target_entity_type == "Ticket"))
        )
        self.counts = SupervisionCounts()

    def moment(self, index: int, total: int) -> datetime:
        """The ``index``-th of ``total`` records spread over the last 90 days, oldest first."""
        return self.now - timedelta(days=90) * (1 - index / total)

    def tickets(self, project: Project, members: list[int], task_ids: list[int]) -> None:
        total = _scaled("tickets", self.scale)
        codes = list(self.statuses)
        priorities = list(TicketPriority)
        rows = []
        for number in range(1, total + 1):
            created = self.moment(number, total)
            rows.append(
                dict(
                    project_id=project.id,
                    number=number,
                    name=ticket_name(self.workflow.label, number),
                    summary=f"Benchmark ticket {number} of {project.code}",
                    description="What goes wrong, and how to see it.",
                    type_id=self.rng.choice(self.types) if self.types else None,
                    priority=self.rng.choice(priorities),
                    status_id=self.statuses[self.rng.choice(codes)].id,
                    resolution="",
                    owner_id=self.rng.choice(members),
                    reporter_id=self.rng.choice(members),
                    date_created=created,
                    date_updated=created,
                    version_id=1,
                )
            )
        _insert(self.dbsession, Ticket, rows)
        project.last_ticket_number = total
        ids = dict(
            self.dbsession.execute(
                select(Ticket.number, Ticket.id).where(Ticket.project_id == project.id)
            ).all()
        )
        initial = self.statuses[self.workflow.initial_code].id
        _insert(
            self.dbsession,
            TicketLog,
            [
                dict(
                    ticket_id=ids[row["number"]],
                    actor_id=row["reporter_id"],
                    action="create",
                    to_status_id=initial,
                    changes={"summary": [None, row["summary"]]},
                    date_created=row["date_created"],
                )
                for row in rows
            ],
        )
        _insert(
            self.dbsession,
            TicketLink,
            [
                dict(ticket_id=ticket_id, task_id=self.rng.choice(task_ids))
                for ticket_id in ids.values()
            ],
        )
        self.counts.tickets += total

    def activities(self, project: Project, members: list[int], task_ids: list[int]) -> None:
        total = _scaled("activities", self.scale)
        rows = []
        for index in range(total):
            old, new = self.rng.choice(MOVES)
            rows.append(
                dict(
                    kind=ActivityKind.STATUS_CHANGED.value,
                    actor_id=self.rng.choice(members),
                    project_id=project.id,
                    task_id=self.rng.choice(task_ids),
                    data={"old": old, "new": new},
                    date_created=self.moment(index, total),
                )
            )
        _insert(self.dbsession, Activity, rows)
        self.counts.activities += total

    def notifications(self, users: list[int]) -> None:
        """Each person is told of records of the studio's projects (every one is a member of
        each), a share of the latest unread."""
        records = list(self.dbsession.execute(select(Activity.id, Activity.date_created)))
        per_user = _scaled("notifications_per_user", self.scale)
        unread = max(1, round(per_user * UNREAD_SHARE))
        rows = []
        for user_id in users:
            told = sorted(self.rng.sample(records, min(per_user, len(records))))
            for index, (activity_id, moment) in enumerate(told):
                rows.append(
                    dict(
                        recipient_id=user_id,
                        activity_id=activity_id,
                        reason="resource",
                        channel=NotificationChannel.INBOX,
                        read_at=None if index >= len(told) - unread else moment,
                        date_created=moment,
                    )
                )
        _insert(self.dbsession, Notification, rows)
        self.counts.notifications += len(rows)

    def daily(self, project: Project, leaves: list[Task]) -> None:
        """Published versions of the project's first leaves; a daily of 50 of them."""
        with model_rules():
            versions = [
                Version(task=task, revision_number=1, version_number=1, is_published=True)
                for task in leaves[: _scaled("versions", self.scale)]
            ]
        self.dbsession.add_all(versions)
        daily = create_daily(self.dbsession, project, "Benchmark dailies")
        daily.entries = [
            DailyVersion(version=version, rank=rank)
            for rank, version in enumerate(versions[:DAILY_VERSIONS], start=1)
        ]
        self.dbsession.flush()
        self.counts.versions += len(versions)
        self.counts.daily_versions += len(daily.entries)


def add_supervision(
    dbsession: Session,
    projects: list[Project],
    users: list[User],
    *,
    scale: float,
    seed: int,
) -> SupervisionCounts:
    """Write the supervision records of the large studio's ``projects`` (every one of ``users``
    is a member of each) at ``scale``."""
    rng = random.Random(seed)  # noqa: S311 - seeded benchmark data, not secrets
    builder = _Supervision(dbsession, rng, scale, datetime.now(UTC))
    members = [user.id for user in users]
    dbsession.flush()
    for project in projects:
        task_ids = list(dbsession.scalars(select(Task.id).where(Task.project_id == project.id)))
        builder.tickets(project, members, task_ids)
        builder.activities(project, members, task_ids)
    builder.notifications(members)
    first = projects[0]
    leaves = list(
        dbsession.scalars(
            select(Task)
            .where(Task.project_id == first.id, Task.entity_type == "Task")
            .order_by(Task.id)
        )
    )
    builder.daily(first, leaves)
    return builder.counts
