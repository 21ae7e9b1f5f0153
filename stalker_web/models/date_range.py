"""DateRangeMixin: Stalker's start/end pair plus the dates TaskJuggler computed."""

from datetime import datetime

from sqlalchemy.orm import mapped_column, validates

from .meta import InvalidValue, UTCDateTime


def check_dates(start: datetime | None, end: datetime | None) -> None:
    """Refuse a date without a time zone, and an end before the start."""
    for key, value in (("start", start), ("end", end)):
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            raise InvalidValue(key, "Give a date and time with its time zone.")
    if start is not None and end is not None and end < start:
        raise InvalidValue("end", "The end cannot come before the start.")


class DateRangeMixin:
    """``start``/``end`` (optional, end not before start) and ``computed_start``/``computed_end``.

    Unlike Stalker, missing dates stay empty instead of defaulting to "now", and nothing is
    rounded here: rounding needs the studio's timing resolution, which the scheduler holds.
    """

    start = mapped_column(UTCDateTime, nullable=True)
    end = mapped_column(UTCDateTime, nullable=True)
    computed_start = mapped_column(UTCDateTime, nullable=True)
    computed_end = mapped_column(UTCDateTime, nullable=True)

    @validates("start", "end")
    def _validate_date(self, key: str, value: datetime | None) -> datetime | None:
        check_dates(*((value, self.end) if key == "start" else (self.start, value)))
        return value

    def set_dates(self, start: datetime | None, end: datetime | None) -> None:
        """Set both dates at once, so moving a range later or earlier is never refused midway."""
        check_dates(start, end)
        self.start = None
        self.end = end
        self.start = start

    @property
    def is_scheduled(self) -> bool:
        """Whether TaskJuggler has computed both dates."""
        return self.computed_start is not None and self.computed_end is not None
