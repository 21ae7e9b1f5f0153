"""A daily's page: its versions in order, a page at a time, each with its task path, picture,
artist and the answer given (outcome, who, the note); once closed, the same list is its summary.
A fixed number of queries, however many versions the daily holds."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ...models import Daily, DailyVersion, Note, Task, Version
from ...pagination import Page, paginate
from ..notes.notes import NoteView, note_views
from ..tasks.paths import task_paths
from ..versions.media import first_thumbnail, version_media

ENTRIES_PER_PAGE = 50


@dataclass(frozen=True)
class DailyPage:
    """A page of ``daily``'s versions (``DailyVersion`` rows with version, task, status, artist
    and who answered), their task paths and pictures by version id, how many versions the daily
    holds and how many were answered, and the answers' notes."""

    daily: Daily
    entries: Page
    paths: dict[int, str]
    thumbnails: dict[int, int | None]
    total: int
    answered: int
    # The notes the answers were given with, by note id.
    notes: dict[int, NoteView]


def daily_page(dbsession: Session, daily: Daily, number: int = 1) -> DailyPage:
    """Page ``number`` of ``daily``'s versions, in their order."""
    statement = (
        select(DailyVersion)
        .where(DailyVersion.daily_id == daily.id)
        .options(
            joinedload(DailyVersion.version).joinedload(Version.task).joinedload(Task.status),
            joinedload(DailyVersion.version).joinedload(Version.created_by),
            joinedload(DailyVersion.answered_by),
        )
        .order_by(DailyVersion.rank)
    )
    total, answered = dbsession.execute(
        select(func.count(), func.count(DailyVersion.outcome)).where(
            DailyVersion.daily_id == daily.id
        )
    ).one()
    entries = paginate(dbsession, statement, number, ENTRIES_PER_PAGE, total=total)
    versions = [entry.version for entry in entries.items]
    media = version_media(dbsession, [version.id for version in versions])
    note_ids = {entry.note_id for entry in entries.items} - {None}
    said = (
        list(
            dbsession.scalars(
                select(Note).where(Note.id.in_(note_ids)).options(joinedload(Note.author))
            )
        )
        if note_ids
        else []
    )
    return DailyPage(
        daily=daily,
        entries=entries,
        paths=task_paths(dbsession, {version.task for version in versions}),
        thumbnails={version_id: first_thumbnail(files) for version_id, files in media.items()},
        total=entries.total,
        answered=answered,
        notes={view.id: view for view in note_views(dbsession, said)},
    )
