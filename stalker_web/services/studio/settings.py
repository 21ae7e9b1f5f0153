"""Studio settings: the studio's name, time zone, weekly working hours (local hours of that
zone), daily hours, timing resolution and whether administrators must sign in with two
factors."""

import re
from collections.abc import Mapping

from sqlalchemy.orm import Session

from ...config import TIMING_RESOLUTIONS, WEEKDAYS
from ...models import Studio
from ...time_zones import UnknownTimeZone, checked_zone_name
from ..errors import ValidationError, check_version, model_rules
from ..names import checked_name
from .initial_data import ensure_studio

DAY_NAMES = dict(
    zip(
        WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
DAY_OFF_WORDS = ("", "off")
MINUTES_PER_DAY = 24 * 60
_INTERVAL = re.compile(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", re.ASCII)
INTERVAL_HELP = (
    "Write times as 09:00-13:00, 14:00-18:00, or leave empty (or write off) for a day off."
)


def get_studio(dbsession: Session, config: dict) -> Studio:
    """The studio of this database (created from the configured defaults if missing)."""
    return ensure_studio(dbsession, config)


def format_time(minutes: int) -> str:
    """Minutes since midnight as ``HH:MM`` (1440 is ``24:00``)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_working_hours(intervals: list[list[int]]) -> str:
    """One day's intervals as typed in the form: ``09:00-13:00, 14:00-18:00``, or ``off``."""
    if not intervals:
        return "off"
    return ", ".join(f"{format_time(start)}-{format_time(end)}" for start, end in intervals)


def _minutes(hours: str, minutes: str, field: str, typed: str) -> int:
    if int(minutes) > 59:
        raise ValidationError(f"{typed} has minutes past 59; write 10:00, not 9:60.", field)
    total = int(hours) * 60 + int(minutes)
    if total > MINUTES_PER_DAY:
        raise ValidationError(f"{typed} is outside the day: times go from 00:00 to 24:00.", field)
    return total


def parse_working_hours(text: str | None, field: str) -> list[list[int]]:
    """One day's ``09:00-13:00, 14:00-18:00`` as sorted minute pairs; empty or off is a day off.

    Errors are raised under ``field``: a malformed interval, one that ends before it starts,
    a time outside 00:00-24:00, or two intervals that overlap.
    """
    typed = (text or "").strip()
    if typed.lower() in DAY_OFF_WORDS:
        return []
    intervals = []
    for part in typed.split(","):
        interval = part.strip()
        match = _INTERVAL.fullmatch(interval)
        if match is None:
            raise ValidationError(
                f"{interval or 'An empty part'} is not a time range. {INTERVAL_HELP}", field
            )
        start_hours, start_minutes, end_hours, end_minutes = match.groups()
        start = _minutes(start_hours, start_minutes, field, interval)
        end = _minutes(end_hours, end_minutes, field, interval)
        if start >= end:
            raise ValidationError(f"{interval} must end after it starts.", field)
        intervals.append([start, end])
    intervals.sort()
    for previous, following in zip(intervals, intervals[1:], strict=False):
        if following[0] < previous[1]:
            raise ValidationError(
                f"{format_working_hours([previous])} and {format_working_hours([following])} "
                "overlap; join them into one range or move one.",
                field,
            )
    return intervals


def studio_zone_name(typed: str) -> str:
    """A zone name as typed on a form, checked (ValidationError under ``time_zone``)."""
    try:
        return checked_zone_name(typed)
    except UnknownTimeZone as error:
        raise ValidationError(str(error), "time_zone") from error


def update_studio(
    dbsession: Session,
    studio: Studio,
    *,
    submitted_version: int | None,
    name: str | None,
    working_hours: Mapping[str, str | None],
    daily_working_hours: int | None,
    timing_resolution_minutes: int | None,
    require_admin_two_factor: bool | None = None,
    time_zone: str | None = None,
) -> Studio:
    """Save the studio settings edited on a page loaded at ``submitted_version``.

    ``working_hours`` maps each weekday (``mon`` … ``sun``) to its text as typed in the form;
    every value is checked before anything is changed. ``require_admin_two_factor`` makes the
    admin group's members set two-factor sign-in up before anything else (None keeps it as is).
    ``time_zone`` is an IANA name (None keeps the zone as is).
    """
    check_version(studio, submitted_version, "The studio")
    cleaned_name = checked_name(name)
    zone_name = studio.time_zone if time_zone is None else studio_zone_name(time_zone)
    hours = {day: parse_working_hours(working_hours.get(day), day) for day in WEEKDAYS}
    if daily_working_hours is None or not 1 <= daily_working_hours <= 24:
        raise ValidationError(
            "Enter the hours of a working day as a whole number from 1 to 24.",
            "daily_working_hours",
        )
    if timing_resolution_minutes not in TIMING_RESOLUTIONS:
        choices = ", ".join(str(minutes) for minutes in TIMING_RESOLUTIONS)
        raise ValidationError(
            f"Choose a timing resolution of {choices} minutes.", "timing_resolution_minutes"
        )
    # A throwaway studio runs the model's own checks before the real one is touched.
    with model_rules():
        checked = Studio(
            name=cleaned_name,
            working_hours=hours,
            daily_working_hours=daily_working_hours,
            timing_resolution_minutes=timing_resolution_minutes,
        )
    studio.name = checked.name
    studio.working_hours = checked.working_hours
    studio.daily_working_hours = checked.daily_working_hours
    studio.timing_resolution_minutes = checked.timing_resolution_minutes
    studio.time_zone = zone_name
    if require_admin_two_factor is not None:
        studio.require_admin_two_factor = bool(require_admin_two_factor)
    dbsession.flush()
    return studio
