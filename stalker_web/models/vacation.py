"""Vacation: time a user is away, or a studio-wide holiday when it has no user."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .date_range import check_dates
from .meta import Base, InvalidValue, UTCDateTime
from .mixins import EntityMixin, clean_name
from .user import User

STUDIO_HOLIDAY_NAME = "Studio holiday"
VACATION_NAME = "Vacation"


class Vacation(EntityMixin, Base):
    """Stalker's Vacation: ``user`` is away from ``start`` to ``end`` (wall-clock time, UTC).

    Without a user it is a studio-wide holiday: the scheduler writes it as a global TaskJuggler
    leave, so nobody works and working-time (length) tasks skip it too. A user's vacation only
    makes that user unavailable. The end must come after the start (also a CHECK constraint).
    """

    __tablename__ = "vacations"
    __table_args__ = (CheckConstraint('"end" > start', name="end_after_start"),)

    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    start = mapped_column(UTCDateTime, nullable=False)
    end = mapped_column(UTCDateTime, nullable=False, index=True)

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])

    def __init__(
        self,
        *,
        user: User | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        **values,
    ) -> None:
        """Both dates are required; the name defaults to "Vacation" or "Studio holiday"."""
        check_vacation_range(start, end)
        if not clean_name(values.get("name")):
            values["name"] = VACATION_NAME if user is not None else STUDIO_HOLIDAY_NAME
        super().__init__(user=user, start=start, end=end, **values)

    @validates("user")
    def _validate_user(self, key: str, value: User | None) -> User | None:
        if value is not None and not isinstance(value, User):
            raise InvalidValue(key, "A vacation belongs to a user, or to nobody for a holiday.")
        return value

    @validates("start", "end")
    def _validate_date(self, key: str, value: datetime | None) -> datetime:
        if value is None:
            raise InvalidValue(key, f"A vacation needs its {key} date and time.")
        start, end = (value, self.end) if key == "start" else (self.start, value)
        if start is None or end is None:
            check_dates(start, end)
        else:
            check_vacation_range(start, end)
        return value

    def set_range(self, start: datetime, end: datetime) -> None:
        """Move the vacation to [start, end] at once, so no midway state is refused."""
        check_vacation_range(start, end)
        if self.start is None or end > self.start:
            self.end, self.start = end, start
        else:
            self.start, self.end = start, end

    @property
    def is_studio_wide(self) -> bool:
        """A vacation without a user is a holiday for the whole studio."""
        return self.user_id is None and self.__dict__.get("user") is None


def check_vacation_range(start: datetime | None, end: datetime | None) -> None:
    """Refuse a missing or naive date, and an end that is not after the start."""
    for key, value in (("start", start), ("end", end)):
        if value is None:
            raise InvalidValue(key, f"A vacation needs its {key} date and time.")
    check_dates(start, end)
    if end <= start:
        raise InvalidValue("end", "A vacation must end after it starts.")
