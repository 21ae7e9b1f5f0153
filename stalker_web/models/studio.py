"""Studio: the company, its calendar and timing resolution."""

import math
from datetime import timedelta
from typing import Any

from sqlalchemy import JSON, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from ..config import TIMING_RESOLUTIONS, WEEKDAYS, ConfigError, validate_working_hours
from ..time_zones import DEFAULT_ZONE, ZONE_NAME_MAX_LENGTH, UnknownTimeZone, checked_zone_name
from .meta import Base, InvalidValue
from .mixins import EntityMixin

WEEKS_PER_YEAR = 52.1428


class Studio(EntityMixin, Base):
    """The one studio of a database; its calendar drives unit conversions and scheduling."""

    __tablename__ = "studios"

    working_hours: Mapped[dict[str, Any]] = mapped_column(JSON)
    daily_working_hours: Mapped[int] = mapped_column(Integer, default=9)
    timing_resolution_minutes: Mapped[int] = mapped_column(Integer, default=60)
    # The IANA zone the working hours are local hours of (and the default zone of the pages).
    time_zone: Mapped[str] = mapped_column(String(ZONE_NAME_MAX_LENGTH), default=DEFAULT_ZONE)
    # Members of the admin group must sign in with a second factor (TOTP or a recovery code).
    require_admin_two_factor: Mapped[bool] = mapped_column(Boolean, default=False)

    @validates("working_hours")
    def _validate_working_hours(self, key: str, value: dict[str, Any]) -> dict[str, Any]:
        try:
            return validate_working_hours(value)
        except ConfigError as error:
            raise InvalidValue(key, str(error).capitalize() + ".") from error

    @validates("time_zone")
    def _validate_time_zone(self, key: str, value: str | None) -> str:
        try:
            return checked_zone_name(value)
        except UnknownTimeZone as error:
            raise InvalidValue(key, str(error)) from error

    @validates("daily_working_hours")
    def _validate_daily_working_hours(self, key: str, value: int) -> int:
        if not 1 <= int(value) <= 24:
            raise InvalidValue(key, "Daily working hours must be between 1 and 24.")
        return int(value)

    @validates("timing_resolution_minutes")
    def _validate_timing_resolution(self, key: str, value: int) -> int:
        if int(value) not in TIMING_RESOLUTIONS:
            raise InvalidValue(
                key, "The timing resolution must be 5, 10, 15, 20, 30 or 60 minutes."
            )
        return int(value)

    @property
    def timing_resolution(self) -> timedelta:
        return timedelta(minutes=self.timing_resolution_minutes)

    @property
    def weekly_working_hours(self) -> float:
        minutes = sum(end - start for day in WEEKDAYS for start, end in self.working_hours[day])
        return minutes / 60

    @property
    def weekly_working_days(self) -> int:
        return sum(1 for day in WEEKDAYS if self.working_hours[day])

    @property
    def yearly_working_days(self) -> int:
        return math.ceil(self.weekly_working_days * WEEKS_PER_YEAR)
