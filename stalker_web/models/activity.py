"""Activity: one thing that happened (who did what, when, to which entity), for the project feed
and each entity's history tab.

Written by the activity subscribers from the domain events, in the transaction of the change,
so a rolled-back change leaves no record. ``kind`` names the event; ``data`` holds the plain
values the sentence needs (status codes, a review's outcome, a ticket's action); the entity
columns say what it concerns (several may be set: a note on a version also names its task).
"""

from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .meta import Base, UTCDateTime, utcnow
from .user import User


class Activity(Base):
    """A record of the feed; ``project_id`` is None for what concerns the whole studio."""

    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_project_id_id", "project_id", "id"),
        Index("ix_activities_project_id_kind_id", "project_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True
    )
    # Not ``version_id``: that name is the optimistic-lock column of entities.
    about_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", ondelete="SET NULL"), index=True
    )
    review_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="SET NULL"), index=True
    )
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    note_id: Mapped[int | None] = mapped_column(
        ForeignKey("notes.id", ondelete="SET NULL"), index=True
    )
    daily_id: Mapped[int | None] = mapped_column(
        ForeignKey("dailies.id", ondelete="CASCADE"), index=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)

    actor: Mapped[User | None] = relationship()
