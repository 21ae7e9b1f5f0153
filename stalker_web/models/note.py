"""Note: a Markdown comment on a project, or on one task, version, review, ticket or daily of it.

``content`` is the Markdown source as written; the notes services render it to safe HTML. At
most one target column is set (none: a note on the project itself); ``project_id`` is always set,
so a project's notes and their permissions need no join. An edit keeps the text it replaces as a
``NoteRevision``; ``NoteMention`` rows name the people an @mention reached; a
``NoteAttachment`` is a file checked and stored as an upload is, outside the repositories.
"""

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .meta import Base, UTCDateTime, utcnow
from .project import Project
from .user import User

CONTENT_LENGTH = 20_000
_TARGETS = ("task_id", "noted_version_id", "review_id", "ticket_id", "daily_id")


def _at_most_one(columns: tuple[str, ...]) -> str:
    return " + ".join(f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)" for column in columns)


class Note(Base):
    """Stalker's Note, written by ``author``; ``version_id`` is the optimistic lock of edits."""

    __tablename__ = "notes"
    __table_args__ = (
        CheckConstraint(f"{_at_most_one(_TARGETS)} <= 1", name="one_target"),
        Index("ix_notes_project_id_id", "project_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True
    )
    noted_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), index=True
    )
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), index=True
    )
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    daily_id: Mapped[int | None] = mapped_column(
        ForeignKey("dailies.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    content: Mapped[str] = mapped_column(Text, default="")
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    date_updated = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    project: Mapped[Project] = relationship()
    author: Mapped[User | None] = relationship()
    revisions: Mapped[list["NoteRevision"]] = relationship(
        order_by="NoteRevision.id", cascade="all, delete-orphan", passive_deletes=True
    )
    attachments: Mapped[list["NoteAttachment"]] = relationship(
        order_by="NoteAttachment.id", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version_id}


class NoteRevision(Base):
    """The text a note had before ``edited_by`` changed it at ``date_created``."""

    __tablename__ = "note_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    content: Mapped[str] = mapped_column(Text, default="")
    edited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    edited_by: Mapped[User | None] = relationship()


class NoteMention(Base):
    """A person an @mention of the note named."""

    __tablename__ = "note_mentions"

    note_id: Mapped[int] = mapped_column(
        ForeignKey("notes.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class NoteAttachment(Base):
    """A file attached to a note, under the attachments folder at ``relative_path``; images get
    a thumbnail at ``thumbnail_path`` (an annotated frame of a review answer is one)."""

    __tablename__ = "note_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"), index=True)
    relative_path: Mapped[str] = mapped_column(String(1024), unique=True)
    original_filename: Mapped[str] = mapped_column(String(256))
    mime_type: Mapped[str] = mapped_column(String(128), default="application/octet-stream")
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    thumbnail_path: Mapped[str | None] = mapped_column(String(1024))
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False)
