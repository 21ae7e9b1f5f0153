"""Writing activity records from the domain events, in the session that published them.

Each event becomes one record (a schedule run of several projects, one per project): who acted
(``db.current_user_id``; for a schedule run nobody acted in the worker, so the person who asked
for it), the entity columns it concerns (a note on a version also names the version's task, so
the task's history shows it) and in ``data`` the plain values its sentence needs and that may
not outlive the row they come from (a version's label, a ticket's number and summary, a note's
first words). Names that can change (tasks, people, statuses) are looked up when shown.
"""

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...db import current_user_id
from ...events import (
    DailyClosed,
    Event,
    NoteAdded,
    NoteEdited,
    ReviewAnswered,
    ReviewRequested,
    ScheduleFinished,
    TaskStatusChanged,
    TicketChanged,
    TimeLogged,
    VersionPublished,
)
from ...models import (
    Activity,
    Daily,
    DailyOutcome,
    DailyVersion,
    Note,
    Project,
    Review,
    ReviewStatus,
    Scenario,
    ScheduleRun,
    Ticket,
    Version,
)
from ..notes.markdown import render_markdown
from .kinds import ActivityKind

EXCERPT_LENGTH = 200
_SPACES = re.compile(r"\s+")


def excerpt(text: str | None, length: int = EXCERPT_LENGTH) -> str:
    """The first words of ``text`` (Markdown) as read, without its marks, on one line, cut at a
    word with "…" when longer."""
    line = _SPACES.sub(" ", render_markdown(text).striptags()).strip()
    if len(line) <= length:
        return line
    cut = line[: length - 1].rsplit(" ", 1)[0] or line[: length - 1]
    return cut.rstrip(" ,.;:") + "…"


def _record(dbsession: Session, kind: ActivityKind, **columns: Any) -> Activity:
    columns.setdefault("actor_id", current_user_id(dbsession))
    activity = Activity(kind=kind.value, **columns)
    dbsession.add(activity)
    return activity


def _version_label(dbsession: Session, version_id: int | None) -> str | None:
    version = dbsession.get(Version, version_id) if version_id is not None else None
    return version.label if version is not None else None


def status_changed(dbsession: Session, event: TaskStatusChanged) -> list[Activity]:
    return [
        _record(
            dbsession,
            ActivityKind.STATUS_CHANGED,
            project_id=event.project_id,
            task_id=event.task_id,
            data={"old": event.old_code, "new": event.new_code},
        )
    ]


def review_requested(dbsession: Session, event: ReviewRequested) -> list[Activity]:
    first = dbsession.get(Review, event.review_ids[0]) if event.review_ids else None
    version_id = first.reviewed_version_id if first is not None else None
    note_id = first.request_note_id if first is not None else None
    note = dbsession.get(Note, note_id) if note_id is not None else None
    return [
        _record(
            dbsession,
            ActivityKind.REVIEW_REQUESTED,
            project_id=event.project_id,
            task_id=event.task_id,
            review_id=first.id if first is not None else None,
            about_version_id=version_id,
            note_id=note_id,
            data={
                "round": event.review_number,
                "reviewer_ids": list(event.reviewer_ids),
                "version_label": _version_label(dbsession, version_id),
                "excerpt": excerpt(note.content) if note is not None else "",
            },
        )
    ]


def review_answered(dbsession: Session, event: ReviewAnswered) -> list[Activity]:
    """The answer's words are those of the note said with it (the newest note on the review:
    notes on a review belong to its round), else what a revision asks for."""
    review = dbsession.get(Review, event.review_id)
    version_id = review.reviewed_version_id if review is not None else None
    note = dbsession.scalars(
        select(Note).where(Note.review_id == event.review_id).order_by(Note.id.desc()).limit(1)
    ).first()
    words = note.content if note is not None else ""
    if not words and review is not None and review.status is ReviewStatus.REVISION_REQUESTED:
        words = review.description
    return [
        _record(
            dbsession,
            ActivityKind.REVIEW_ANSWERED,
            project_id=event.project_id,
            task_id=event.task_id,
            review_id=event.review_id,
            about_version_id=version_id,
            note_id=note.id if note is not None else None,
            data={
                "outcome": event.outcome,
                "reviewer_id": event.reviewer_id,
                "version_label": _version_label(dbsession, version_id),
                "excerpt": excerpt(words),
            },
        )
    ]


def time_logged(dbsession: Session, event: TimeLogged) -> list[Activity]:
    return [
        _record(
            dbsession,
            ActivityKind.TIME_LOGGED,
            project_id=event.project_id,
            task_id=event.task_id,
            data={"seconds": event.seconds, "resource_id": event.resource_id},
        )
    ]


def version_published(dbsession: Session, event: VersionPublished) -> list[Activity]:
    return [
        _record(
            dbsession,
            ActivityKind.VERSION_PUBLISHED,
            project_id=event.project_id,
            task_id=event.task_id,
            about_version_id=event.version_id,
            data={"version_label": _version_label(dbsession, event.version_id)},
        )
    ]


def schedule_finished(dbsession: Session, event: ScheduleFinished) -> list[Activity]:
    """A live run of the whole studio is one studio-wide record (every project's feed shows
    it); a run of some projects is one record per project; a what-if scenario's run is a
    studio-wide record of its own kind, which no project's feed shows."""
    run = dbsession.get(ScheduleRun, event.run_id)
    if run is None:
        return []
    actor_id = current_user_id(dbsession) or run.requested_by_id
    data: dict[str, Any] = {"run_id": run.id, "status": event.status}
    if run.scenario_id is not None:
        scenario = dbsession.get(Scenario, run.scenario_id)
        data["scenario"] = scenario.name if scenario is not None else ""
        return [_record(dbsession, ActivityKind.SCENARIO_SCHEDULED, actor_id=actor_id, data=data)]
    if not run.project_ids:
        return [_record(dbsession, ActivityKind.SCHEDULE_FINISHED, actor_id=actor_id, data=data)]
    codes = dict(
        dbsession.execute(
            select(Project.id, Project.code).where(Project.id.in_(run.project_ids))
        ).all()
    )
    data["projects"] = [codes[project_id] for project_id in run.project_ids if project_id in codes]
    return [
        _record(
            dbsession,
            ActivityKind.SCHEDULE_FINISHED,
            actor_id=actor_id,
            project_id=project_id,
            data=data,
        )
        for project_id in run.project_ids
        if project_id in codes
    ]


def _note_columns(dbsession: Session, note: Note) -> tuple[dict[str, Any], dict[str, Any]]:
    """The entity columns of a record about ``note`` and the values its sentence needs."""
    columns: dict[str, Any] = {"project_id": note.project_id, "note_id": note.id}
    data: dict[str, Any] = {"excerpt": excerpt(note.content)}
    if note.task_id is not None:
        columns["task_id"] = note.task_id
    elif note.noted_version_id is not None:
        version = dbsession.get(Version, note.noted_version_id)
        columns["about_version_id"] = note.noted_version_id
        columns["task_id"] = version.task_id if version is not None else None
        data["version_label"] = version.label if version is not None else None
    elif note.review_id is not None:
        review = dbsession.get(Review, note.review_id)
        columns["review_id"] = note.review_id
        columns["task_id"] = review.task_id if review is not None else None
        columns["about_version_id"] = review.reviewed_version_id if review is not None else None
    elif note.ticket_id is not None:
        ticket = dbsession.get(Ticket, note.ticket_id)
        columns["ticket_id"] = note.ticket_id
        if ticket is not None:
            data.update(number=ticket.number, summary=ticket.summary)
    elif note.daily_id is not None:
        daily = dbsession.get(Daily, note.daily_id)
        columns["daily_id"] = note.daily_id
        data["daily"] = daily.name if daily is not None else ""
    return columns, data


def _note_record(
    dbsession: Session, kind: ActivityKind, note_id: int, actor_id: int | None
) -> list[Activity]:
    note = dbsession.get(Note, note_id)
    if note is None:
        return []
    columns, data = _note_columns(dbsession, note)
    actor_id = current_user_id(dbsession) or actor_id
    return [_record(dbsession, kind, actor_id=actor_id, data=data, **columns)]


def note_added(dbsession: Session, event: NoteAdded) -> list[Activity]:
    return _note_record(dbsession, ActivityKind.NOTE_ADDED, event.note_id, event.author_id)


def note_edited(dbsession: Session, event: NoteEdited) -> list[Activity]:
    return _note_record(dbsession, ActivityKind.NOTE_EDITED, event.note_id, event.editor_id)


def ticket_changed(dbsession: Session, event: TicketChanged) -> list[Activity]:
    ticket = dbsession.get(Ticket, event.ticket_id)
    if ticket is None:
        return []
    return [
        _record(
            dbsession,
            ActivityKind.TICKET_CHANGED,
            project_id=event.project_id,
            ticket_id=ticket.id,
            data={
                "action": event.action,
                "number": ticket.number,
                "summary": ticket.summary,
                "old_status": event.old_status,
                "new_status": event.new_status,
                "resolution": ticket.resolution,
                "owner_id": ticket.owner_id,
            },
        )
    ]


def daily_closed(dbsession: Session, event: DailyClosed) -> list[Activity]:
    daily = dbsession.get(Daily, event.daily_id)
    if daily is None:
        return []
    outcomes = list(
        dbsession.scalars(select(DailyVersion.outcome).where(DailyVersion.daily_id == daily.id))
    )
    return [
        _record(
            dbsession,
            ActivityKind.DAILY_CLOSED,
            project_id=event.project_id,
            daily_id=daily.id,
            data={
                "daily": daily.name,
                "versions": len(outcomes),
                "approved": outcomes.count(DailyOutcome.APPROVED),
                "revisions": outcomes.count(DailyOutcome.REVISION),
            },
        )
    ]


RECORDERS: dict[type, Callable[[Session, Any], list[Activity]]] = {
    TaskStatusChanged: status_changed,
    ReviewRequested: review_requested,
    ReviewAnswered: review_answered,
    TimeLogged: time_logged,
    VersionPublished: version_published,
    ScheduleFinished: schedule_finished,
    NoteAdded: note_added,
    NoteEdited: note_edited,
    TicketChanged: ticket_changed,
    DailyClosed: daily_closed,
}


def record_activity(dbsession: Session, event: Event) -> list[Activity]:
    """Write the activity records of ``event`` (flushed, so they have ids)."""
    activities = RECORDERS[type(event)](dbsession, event)
    dbsession.flush()
    return activities
