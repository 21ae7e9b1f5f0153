"""TimesheetWeek: a person's week of time logs, submitted by them and locked by a lead."""

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .meta import Base, UTCDateTime
from .schedule import enum_column_type
from .user import User


class WeekState(enum.StrEnum):
    """Submitted: the person says the week is complete (they may still change it); locked: a
    lead accepted it and nobody changes its logs until it is unlocked."""

    SUBMITTED = "submitted"
    LOCKED = "locked"


class TimesheetWeek(Base):
    """``user``'s ISO week starting ``week_start`` (a Monday of their zone), covering the UTC
    moments ``starts_at`` to ``ends_at`` (that Monday's local midnight to the next Monday's)."""

    __tablename__ = "timesheet_weeks"
    __table_args__ = (
        UniqueConstraint("user_id", "week_start"),
        Index("ix_timesheet_weeks_state_week_start", "state", "week_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[WeekState] = mapped_column(enum_column_type(WeekState))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    locked_by: Mapped[User | None] = relationship(foreign_keys=[locked_by_id])
