"""Who is told of an activity record, and why.

- A task's status change: its resources, responsible users (inherited from the nearest
  ancestor that has some, as reviews are) and watchers; a container's (which follows its
  children) only its watchers.
- A review request: the reviewers. A review answer: the task's resources.
- A note: the people of its task (on the task, a version or a review of it) or its ticket's
  owner and reporter; always the people it mentions ("mentioned"), also when edited in.
- A ticket's change: its owner and reporter.
- A closed daily: the people of every task whose versions it showed.

Never the person who acted, and only active members of the project: a notification names the
task or ticket, which nobody outside the project may read. A person concerned several ways is
told once, for the first reason listed above the others (mentioned, reviewer, resource,
responsible, owner, reporter, watcher).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session

from ...events import (
    DailyClosed,
    Event,
    NoteAdded,
    NoteEdited,
    ReviewAnswered,
    ReviewRequested,
    TaskStatusChanged,
    TicketChanged,
)
from ...models import Activity, DailyVersion, ProjectUser, Task, Ticket, User, Version
from ...models.task import task_resources, task_watchers
from ..tasks.commands import responsible_users
from .preferences import NotificationKind


class Reason(StrEnum):
    """Why someone is told (``Notification.reason``), most specific first."""

    MENTIONED = "mentioned"
    REVIEWER = "reviewer"
    RESOURCE = "resource"
    RESPONSIBLE = "responsible"
    OWNER = "owner"
    REPORTER = "reporter"
    WATCHER = "watcher"


REASON_WORDS = {
    Reason.MENTIONED: "you were mentioned",
    Reason.REVIEWER: "you are a reviewer",
    Reason.RESOURCE: "you work on it",
    Reason.RESPONSIBLE: "you are responsible for it",
    Reason.OWNER: "you own the ticket",
    Reason.REPORTER: "you reported the ticket",
    Reason.WATCHER: "you watch it",
}
_RANK = {reason: rank for rank, reason in enumerate(Reason)}


@dataclass(frozen=True)
class Recipient:
    """A person to tell of a record, why, and the kind whose channel they chose applies."""

    user_id: int
    reason: Reason
    kind: NotificationKind


def task_people(dbsession: Session, task_ids: Iterable[int]) -> dict[int, dict[int, Reason]]:
    """For each task, its people and why: resources, responsible users (inherited), watchers;
    two queries for any number of tasks."""
    task_ids = set(task_ids)
    people: dict[int, dict[int, Reason]] = {task_id: {} for task_id in task_ids}
    if not task_ids:
        return people

    def held(table, reason: Reason):
        return select(table.c.task_id, table.c.user_id, literal(reason.value)).where(
            table.c.task_id.in_(task_ids)
        )

    rows = dbsession.execute(
        union_all(held(task_resources, Reason.RESOURCE), held(task_watchers, Reason.WATCHER))
    )
    found: list[tuple[int, int, Reason]] = [(t, u, Reason(r)) for t, u, r in rows]
    tasks = list(dbsession.scalars(select(Task).where(Task.id.in_(task_ids))))
    for task_id, users in responsible_users(dbsession, tasks).items():
        found += [(task_id, user.id, Reason.RESPONSIBLE) for user in users]
    for task_id, user_id, reason in found:
        _keep(people[task_id], user_id, reason)
    return people


def _keep(chosen: dict[int, Reason], user_id: int | None, reason: Reason) -> None:
    """Keep ``reason`` for ``user_id`` unless a more specific one is already kept."""
    if user_id is None:
        return
    if user_id not in chosen or _RANK[reason] < _RANK[chosen[user_id]]:
        chosen[user_id] = reason


def _of_task(
    dbsession: Session, activity: Activity, only: Reason | None = None
) -> dict[int, Reason]:
    """The people of the record's task (only those there for ``only``, when given)."""
    if activity.task_id is None:
        return {}
    people = task_people(dbsession, [activity.task_id])[activity.task_id]
    return {user: reason for user, reason in people.items() if only in (None, reason)}


def _of_ticket(dbsession: Session, ticket_id: int | None) -> dict[int, Reason]:
    ticket = dbsession.get(Ticket, ticket_id) if ticket_id is not None else None
    chosen: dict[int, Reason] = {}
    if ticket is not None:
        _keep(chosen, ticket.owner_id, Reason.OWNER)
        _keep(chosen, ticket.reporter_id, Reason.REPORTER)
    return chosen


def _status_changed(dbsession, activity, event: TaskStatusChanged):
    people = _of_task(dbsession, activity)
    if dbsession.scalar(select(Task.id).where(Task.parent_id == event.task_id).limit(1)):
        # A container's status follows its children's, whose people were told of the change
        # that moved it: only those watching the container itself are told.
        people = {user: reason for user, reason in people.items() if reason is Reason.WATCHER}
    return _told(people, NotificationKind.STATUS)


def _review_requested(dbsession, activity, event: ReviewRequested):
    reviewers = dict.fromkeys(event.reviewer_ids, Reason.REVIEWER)
    return _told(reviewers, NotificationKind.REVIEW_REQUEST)


def _review_answered(dbsession, activity, event: ReviewAnswered):
    resources = _of_task(dbsession, activity, only=Reason.RESOURCE)
    return _told(resources, NotificationKind.REVIEW_ANSWER)


def _note_added(dbsession, activity, event: NoteAdded):
    concerned = (
        _of_ticket(dbsession, activity.ticket_id)
        if activity.ticket_id is not None
        else _of_task(dbsession, activity)
    )
    return _mentioned(event) + _told(concerned, NotificationKind.NOTE)


def _note_edited(dbsession, activity, event: NoteEdited):
    return _mentioned(event)


def _ticket_changed(dbsession, activity, event: TicketChanged):
    return _told(_of_ticket(dbsession, activity.ticket_id), NotificationKind.TICKET)


def _daily_closed(dbsession, activity, event: DailyClosed):
    task_ids = dbsession.scalars(
        select(Version.task_id)
        .join(DailyVersion, DailyVersion.daily_version_id == Version.id)
        .where(DailyVersion.daily_id == event.daily_id)
        .distinct()
    )
    chosen: dict[int, Reason] = {}
    for people in task_people(dbsession, task_ids).values():
        for user_id, reason in people.items():
            _keep(chosen, user_id, reason)
    return _told(chosen, NotificationKind.DAILY)


def _mentioned(event: NoteAdded | NoteEdited) -> list[Recipient]:
    return [Recipient(i, Reason.MENTIONED, NotificationKind.MENTION) for i in event.mentioned_ids]


def _told(people: dict[int, Reason], kind: NotificationKind) -> list[Recipient]:
    return [Recipient(user_id, reason, kind) for user_id, reason in people.items()]


RULES: dict[type, Callable[[Session, Activity, Any], list[Recipient]]] = {
    TaskStatusChanged: _status_changed,
    ReviewRequested: _review_requested,
    ReviewAnswered: _review_answered,
    NoteAdded: _note_added,
    NoteEdited: _note_edited,
    TicketChanged: _ticket_changed,
    DailyClosed: _daily_closed,
}


def recipients(dbsession: Session, activity: Activity, event: Event) -> list[Recipient]:
    """Who is told of ``activity`` (written for ``event``), each once, by user id."""
    rule = RULES.get(type(event))
    if rule is None or activity.project_id is None:
        return []
    chosen: dict[int, Recipient] = {}
    for recipient in rule(dbsession, activity, event):
        kept = chosen.get(recipient.user_id)
        if kept is None or _RANK[recipient.reason] < _RANK[kept.reason]:
            chosen[recipient.user_id] = recipient
    chosen.pop(activity.actor_id, None)
    if not chosen:
        return []
    members = set(
        dbsession.scalars(
            select(ProjectUser.user_id)
            .join(User, User.id == ProjectUser.user_id)
            .where(
                ProjectUser.project_id == activity.project_id,
                ProjectUser.user_id.in_(chosen),
                User.is_active.is_(True),
            )
        )
    )
    return [recipient for user_id, recipient in sorted(chosen.items()) if user_id in members]
