"""Domain events: what happened, as frozen plain values that services publish once.

A service calls ``publish(dbsession, event)`` after making the change the event names. The event
goes to the dispatcher of that session: the app's sessions (requests, the scheduling worker)
dispatch to Pyramid's ``registry.notify``, so a subscriber registers as any Pyramid subscriber,
``config.add_subscriber(handler, TaskStatusChanged)``. Subscribers run inside the transaction of
the change and write through ``publishing_session()``, the session that published: what they
write commits or rolls back with it, and work that must wait for the commit (mail, webhooks)
registers an after-commit hook. Sessions without a dispatcher (the CLI, tests of services)
publish to nobody.

Events carry ids and codes, never ORM objects: a subscriber reads what it needs itself.
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

_DISPATCH_KEY = "events.dispatch"
# The session whose ``publish`` is calling the subscribers (Pyramid hands them the event only).
_publishing: ContextVar[Session | None] = ContextVar("events.publishing", default=None)


@dataclass(frozen=True)
class TaskStatusChanged:
    """A task's status changed from ``old_code`` to ``new_code`` (leaf or container)."""

    task_id: int
    project_id: int
    old_code: str
    new_code: str


@dataclass(frozen=True)
class ReviewRequested:
    """A task's resource asked its responsible users (``reviewer_ids``) for review number
    ``review_number``."""

    task_id: int
    project_id: int
    review_number: int
    review_ids: tuple[int, ...]
    reviewer_ids: tuple[int, ...]


@dataclass(frozen=True)
class ReviewAnswered:
    """A reviewer answered a review: ``outcome`` is the review's new status code (APP or RREV)."""

    review_id: int
    task_id: int
    project_id: int
    reviewer_id: int
    outcome: str


@dataclass(frozen=True)
class TimeLogged:
    """Someone logged ``seconds`` of work on a task."""

    time_log_id: int
    task_id: int
    project_id: int
    resource_id: int
    seconds: float


@dataclass(frozen=True)
class VersionPublished:
    """A version of a task was marked published."""

    version_id: int
    task_id: int
    project_id: int


@dataclass(frozen=True)
class ScheduleFinished:
    """A scheduling run ended; ``status`` is its final status (succeeded, failed, ...)."""

    run_id: int
    status: str


@dataclass(frozen=True)
class NoteAdded:
    """Someone wrote note ``note_id`` (on the project, or on one of its entities), naming
    ``mentioned_ids`` with @mentions."""

    note_id: int
    project_id: int
    author_id: int | None
    mentioned_ids: tuple[int, ...]


@dataclass(frozen=True)
class NoteEdited:
    """Someone changed note ``note_id``; ``mentioned_ids`` are the people the edit newly named."""

    note_id: int
    project_id: int
    editor_id: int | None
    mentioned_ids: tuple[int, ...]


@dataclass(frozen=True)
class TicketChanged:
    """Ticket ``ticket_id`` changed: ``action`` is "create", "edit" or a workflow action (accept,
    resolve, reassign, reopen...); ``log_id`` is the ticket log row recording it."""

    ticket_id: int
    project_id: int
    action: str
    log_id: int
    old_status: str | None
    new_status: str | None


@dataclass(frozen=True)
class DailyClosed:
    """Daily ``daily_id`` ended: its answers are final and its summary goes to the people
    concerned."""

    daily_id: int
    project_id: int


Event = (
    TaskStatusChanged
    | ReviewRequested
    | ReviewAnswered
    | TimeLogged
    | VersionPublished
    | ScheduleFinished
    | NoteAdded
    | NoteEdited
    | TicketChanged
    | DailyClosed
)
Dispatcher = Callable[[Event], None]


def dispatch_to(dbsession: Session, dispatcher: Dispatcher) -> None:
    """Send the events published on ``dbsession`` to ``dispatcher`` (``registry.notify``)."""
    dbsession.info[_DISPATCH_KEY] = dispatcher


def dispatching_sessions(
    session_factory: sessionmaker, dispatcher: Dispatcher
) -> Callable[[], Session]:
    """A factory of sessions of ``session_factory`` that dispatch their events to
    ``dispatcher`` (for the scheduling worker, whose sessions are not a request's)."""

    def new_session() -> Session:
        dbsession = session_factory()
        dispatch_to(dbsession, dispatcher)
        return dbsession

    return new_session


def publish(dbsession: Session, event: Event) -> None:
    """Hand ``event`` to the subscribers of ``dbsession``'s dispatcher, if it has one."""
    dispatcher = dbsession.info.get(_DISPATCH_KEY)
    if dispatcher is not None:
        token = _publishing.set(dbsession)
        try:
            dispatcher(event)
        finally:
            _publishing.reset(token)


def publishing_session() -> Session:
    """The session that published the event a subscriber is handling: what the subscriber
    writes there commits or rolls back with the change. Only valid inside a subscriber."""
    dbsession = _publishing.get()
    if dbsession is None:
        raise RuntimeError("publishing_session() is only available to a subscriber of publish().")
    return dbsession
