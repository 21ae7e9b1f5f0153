"""Daily: a review session of a project's versions, walked through one version at a time.

Stalker's Daily held files ranked in order; here it holds versions (``DailyVersion`` with a
``rank``), each answered during the session (approved, or a revision asked with a note) through
the review workflow. Its status is Open or Closed (the "Daily" status list); ``summary_sent_at``
is set once the summary went to the people concerned.
"""

from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .meta import Base, UTCDateTime
from .mixins import EntityMixin
from .project import Project
from .schedule import enum_column_type
from .status import Status
from .user import User
from .version import Version


class DailyOutcome(StrEnum):
    """What the session decided about one version."""

    APPROVED = "approved"
    REVISION = "revision"


class Daily(EntityMixin, Base):
    """Stalker's Daily, of one project."""

    __tablename__ = "dailies"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    status_id: Mapped[int] = mapped_column(ForeignKey("statuses.id"), index=True)
    summary_sent_at = mapped_column(UTCDateTime)

    project: Mapped[Project] = relationship()
    status: Mapped[Status] = relationship()
    entries: Mapped[list["DailyVersion"]] = relationship(
        back_populates="daily",
        order_by="DailyVersion.rank",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class DailyVersion(Base):
    """A version shown in a daily at place ``rank``, with the session's answer once given
    (``note_id`` is the note said with it)."""

    __tablename__ = "daily_versions"
    __table_args__ = (UniqueConstraint("daily_id", "daily_version_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    daily_id: Mapped[int] = mapped_column(ForeignKey("dailies.id", ondelete="CASCADE"))
    # Not ``version_id``: that name is the optimistic-lock column of entities.
    daily_version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), index=True
    )
    rank: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[DailyOutcome | None] = mapped_column(enum_column_type(DailyOutcome))
    note_id: Mapped[int | None] = mapped_column(
        ForeignKey("notes.id", ondelete="SET NULL"), index=True
    )
    answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    answered_at = mapped_column(UTCDateTime)

    daily: Mapped[Daily] = relationship(back_populates="entries")
    version: Mapped[Version] = relationship()
    answered_by: Mapped[User | None] = relationship()
