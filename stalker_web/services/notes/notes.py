"""Notes: adding one to a project or to one of its tasks, versions, reviews, tickets or dailies
(with its mentions and attachments), editing it with its history, and the notes of one target as
plain values for a page.

Everything a person can get wrong is refused before anything is written: the text (required
unless files come with it, at most ``CONTENT_LENGTH`` characters), a mention of someone outside
the project (they could not read it), the files (``attachments.py``). ``NoteAdded`` and
``NoteEdited`` name who was mentioned, so notifications reach them.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from ...events import NoteAdded, NoteEdited, publish
from ...models import (
    Daily,
    Note,
    NoteAttachment,
    NoteMention,
    NoteRevision,
    Project,
    Review,
    Task,
    Ticket,
    User,
    Version,
)
from ...models.meta import utcnow
from ...models.note import CONTENT_LENGTH
from ..errors import ValidationError
from ..transactions import savepoint
from .attachments import StagedAttachments, Upload, checked_names, store_of
from .markdown import render_markdown
from .mentions import mark_mentions, mentioned_people

CONTENT_FIELD = "content"
# Who wrote or changed a note whose account was deleted since.
SOMEONE_WHO_LEFT = "Someone who left"
STALE_EDIT = (
    "This note was changed since you opened this page (in another window, perhaps), so your "
    "text was not saved. Read the note as it is now, then save yours again to replace it."
)


@dataclass(frozen=True)
class NoteTarget:
    """What a note is about: the project itself (``column`` None) or one row of it."""

    column: str | None
    entity: Task | Version | Review | Ticket | Daily | None

    @classmethod
    def of(cls, task=None, version=None, review=None, ticket=None, daily=None) -> "NoteTarget":
        """The one target given (none: the project); TypeError for several."""
        given = [
            (column, entity)
            for column, entity in (
                ("task_id", task),
                ("noted_version_id", version),
                ("review_id", review),
                ("ticket_id", ticket),
                ("daily_id", daily),
            )
            if entity is not None
        ]
        if len(given) > 1:
            raise TypeError("A note is about one thing: give at most one target.")
        return cls(*given[0]) if given else cls(None, None)

    def project_id(self) -> int | None:
        """The project the target belongs to (None for the project itself)."""
        entity = self.entity
        if entity is None:
            return None
        if isinstance(entity, Version | Review):
            return entity.task.project_id
        return entity.project_id

    def condition(self):
        """The SQL condition selecting notes on this target (of the project, for None)."""
        if self.column is None:
            return (
                Note.task_id.is_(None)
                & Note.noted_version_id.is_(None)
                & Note.review_id.is_(None)
                & Note.ticket_id.is_(None)
                & Note.daily_id.is_(None)
            )
        return getattr(Note, self.column) == self.entity.id


@dataclass(frozen=True)
class AttachmentView:
    """A file of a note as a page shows it."""

    id: int
    filename: str
    mime_type: str
    size: int
    has_thumbnail: bool


@dataclass(frozen=True)
class NoteView:
    """A note as a page shows it: its rendered text (mentions marked), author, dates and files.
    ``may_edit`` is the viewer's: the view decides it (``notes_of`` leaves it False)."""

    id: int
    author_id: int | None
    author_name: str
    html: Markup
    date_created: datetime
    date_updated: datetime
    edited: bool
    revision_count: int
    attachments: tuple[AttachmentView, ...]
    may_edit: bool = False


@dataclass(frozen=True)
class RevisionView:
    """An earlier text of a note: who replaced it and when, rendered."""

    id: int
    html: Markup
    edited_by_name: str
    date_created: datetime


_TARGET_MODELS = {
    "task_id": Task,
    "noted_version_id": Version,
    "review_id": Review,
    "ticket_id": Ticket,
    "daily_id": Daily,
}


def note_target(dbsession: Session, note: Note) -> NoteTarget:
    """What ``note`` is about, loaded."""
    for column, model in _TARGET_MODELS.items():
        entity_id = getattr(note, column)
        if entity_id is not None:
            return NoteTarget(column, dbsession.get(model, entity_id))
    return NoteTarget(None, None)


def _checked_content(content: str | None, with_files: bool) -> str:
    content = content or ""
    if not content.strip() and not with_files:
        raise ValidationError("Write the note, or attach a file to it.", CONTENT_FIELD)
    if len(content) > CONTENT_LENGTH:
        raise ValidationError(
            f"A note holds at most {CONTENT_LENGTH:,} characters; this one has "
            f"{len(content):,}. Shorten it, or attach the rest as a file.",
            CONTENT_FIELD,
        )
    return content


def add_note(
    dbsession: Session,
    author: User,
    project: Project,
    content: str,
    *,
    task: Task | None = None,
    version: Version | None = None,
    review: Review | None = None,
    ticket: Ticket | None = None,
    daily: Daily | None = None,
    attachments: Sequence[Upload] = (),
) -> Note:
    """Add ``author``'s note (Markdown ``content``) on ``project`` or on the one target given,
    with its mentions and attached files, and publish ``NoteAdded``. Refused, with nothing
    written, when the text or a file breaks a rule or a mention names someone outside the
    project."""
    target = NoteTarget.of(task, version, review, ticket, daily)
    if target.entity is not None and target.project_id() != project.id:
        raise ValidationError(f"That is not part of {project.name}.")
    content = _checked_content(content, bool(attachments))
    people = mentioned_people(dbsession, project, content)
    staged = None
    if attachments:
        store = store_of(dbsession)
        staged = StagedAttachments(store, checked_names(attachments, store.rules))
    try:
        note = Note(project=project, author=author, content=content)
        if target.column is not None:
            setattr(note, target.column, target.entity.id)
        dbsession.add(note)
        dbsession.flush()
        dbsession.add_all(NoteMention(note_id=note.id, user_id=person.id) for person in people)
        dbsession.flush()
        if staged is not None:
            staged.store(dbsession, note)
    except BaseException:
        if staged is not None:
            staged.discard()
        raise
    publish(
        dbsession,
        NoteAdded(
            note_id=note.id,
            project_id=project.id,
            author_id=author.id,
            mentioned_ids=tuple(person.id for person in people),
        ),
    )
    return note


def edit_note(
    dbsession: Session, note: Note, editor: User, content: str, expected_version: int | None
) -> Note:
    """Replace the text of ``note`` by ``content``, keeping the old text as a revision, and
    publish ``NoteEdited`` naming the people the new text mentions for the first time. Only
    the author may; refused when the note changed since ``expected_version`` was read."""
    if note.author_id is None or editor.id != note.author_id:
        raise ValidationError("Only the person who wrote a note may change it.")
    if expected_version is None or expected_version != note.version_id:
        raise ValidationError(STALE_EDIT)
    content = _checked_content(content, bool(note.attachments))
    if content == note.content:
        return note
    people = mentioned_people(dbsession, note.project, content)
    reached = set(
        dbsession.scalars(select(NoteMention.user_id).where(NoteMention.note_id == note.id))
    )
    newly = [person for person in people if person.id not in reached]
    try:
        with savepoint(dbsession):  # the version check of the UPDATE (an edit at the same time)
            dbsession.add(NoteRevision(note_id=note.id, content=note.content, edited_by=editor))
            dbsession.add_all(NoteMention(note_id=note.id, user_id=person.id) for person in newly)
            note.content = content
            note.date_updated = utcnow()
            dbsession.flush()
    except StaleDataError as error:
        raise ValidationError(STALE_EDIT) from error
    publish(
        dbsession,
        NoteEdited(
            note_id=note.id,
            project_id=note.project_id,
            editor_id=editor.id,
            mentioned_ids=tuple(person.id for person in newly),
        ),
    )
    return note


def _mentioned_names(dbsession: Session, note_ids: list[int]) -> dict[int, dict[str, str]]:
    """Per note, the logins and names of the people it mentions."""
    rows = dbsession.execute(
        select(NoteMention.note_id, User.login, User.name)
        .join(User, User.id == NoteMention.user_id)
        .where(NoteMention.note_id.in_(note_ids))
    )
    names: dict[int, dict[str, str]] = defaultdict(dict)
    for note_id, login, name in rows:
        names[note_id][login] = name
    return names


def mentioned_user_ids(dbsession: Session, note_ids: list[int]) -> dict[int, list[int]]:
    """Per note, the ids of the people it mentions, ascending (one query)."""
    rows = dbsession.execute(
        select(NoteMention.note_id, NoteMention.user_id)
        .where(NoteMention.note_id.in_(note_ids))
        .order_by(NoteMention.note_id, NoteMention.user_id)
    )
    mentioned: dict[int, list[int]] = defaultdict(list)
    for note_id, user_id in rows:
        mentioned[note_id].append(user_id)
    return mentioned


def _attachments(dbsession: Session, note_ids: list[int]) -> dict[int, list[AttachmentView]]:
    rows = dbsession.scalars(
        select(NoteAttachment)
        .where(NoteAttachment.note_id.in_(note_ids))
        .order_by(NoteAttachment.id)
    )
    files: dict[int, list[AttachmentView]] = defaultdict(list)
    for row in rows:
        files[row.note_id].append(
            AttachmentView(
                row.id, row.original_filename, row.mime_type, row.size, bool(row.thumbnail_path)
            )
        )
    return files


def _revision_counts(dbsession: Session, note_ids: list[int]) -> dict[int, int]:
    return dict(
        dbsession.execute(
            select(NoteRevision.note_id, func.count())
            .where(NoteRevision.note_id.in_(note_ids))
            .group_by(NoteRevision.note_id)
        ).all()
    )


def rendered(content: str, names: dict[str, str]) -> Markup:
    """A note's Markdown as safe HTML, the mentions of ``names`` (login → name) marked."""
    return mark_mentions(render_markdown(content), names)


def notes_of(
    dbsession: Session,
    *,
    project: Project | None = None,
    task: Task | None = None,
    version: Version | None = None,
    review: Review | None = None,
    ticket: Ticket | None = None,
    daily: Daily | None = None,
) -> list[NoteView]:
    """The notes on ``project`` itself, or on the one other target given, oldest first, as
    plain values; five queries whatever the number of notes, files and mentions."""
    target = NoteTarget.of(task, version, review, ticket, daily)
    if target.entity is None and project is None:
        raise TypeError("Name the project or the thing whose notes to list.")
    query = select(Note).where(target.condition())
    if target.entity is None:
        query = query.where(Note.project_id == project.id)
    return note_views(dbsession, dbsession.scalars(query.order_by(Note.id)).all())


def note_views(dbsession: Session, notes: Sequence[Note]) -> list[NoteView]:
    """``notes`` as plain values, in the same order: their authors' names, mentions, files and
    revision counts read in four queries whatever their number."""
    if not notes:
        return []
    note_ids = [note.id for note in notes]
    author_ids = {note.author_id for note in notes if note.author_id is not None}
    authors = dict(
        dbsession.execute(select(User.id, User.name).where(User.id.in_(author_ids))).all()
    )
    names = _mentioned_names(dbsession, note_ids)
    files = _attachments(dbsession, note_ids)
    revisions = _revision_counts(dbsession, note_ids)
    return [
        NoteView(
            id=note.id,
            author_id=note.author_id,
            author_name=authors.get(note.author_id, SOMEONE_WHO_LEFT),
            html=rendered(note.content, names.get(note.id, {})),
            date_created=note.date_created,
            date_updated=note.date_updated,
            edited=note.id in revisions,
            revision_count=revisions.get(note.id, 0),
            attachments=tuple(files.get(note.id, ())),
        )
        for note in notes
    ]


def rendered_note(dbsession: Session, note: Note) -> Markup:
    """The text of ``note`` as it is now, rendered, its mentions marked."""
    return rendered(note.content, _mentioned_names(dbsession, [note.id]).get(note.id, {}))


def note_history(dbsession: Session, note: Note) -> list[RevisionView]:
    """The earlier texts of ``note``, newest first, with who replaced each (two queries)."""
    revisions = dbsession.scalars(
        select(NoteRevision)
        .options(joinedload(NoteRevision.edited_by))
        .where(NoteRevision.note_id == note.id)
        .order_by(NoteRevision.id.desc())
    ).all()
    names = _mentioned_names(dbsession, [note.id]).get(note.id, {})
    return [
        RevisionView(
            id=revision.id,
            html=rendered(revision.content, names),
            edited_by_name=revision.edited_by.name if revision.edited_by else SOMEONE_WHO_LEFT,
            date_created=revision.date_created,
        )
        for revision in revisions
    ]
