"""Time zones: the one place where UTC moments become local ones and back.

Every date is stored in UTC. The studio has a zone (its working hours are local hours there) and
each user may pick a display zone (none: the studio's). A moment is shown in the viewer's zone
with the zone's abbreviation ("2026-03-08 09:00 EST"), and a date and time typed in a form is
read in the viewer's zone:

- a time the clocks skip (02:30 on the night of the spring change in Montréal) does not exist,
  and is refused with a message that says so (``NonexistentLocalTime``);
- a time the clocks show twice (01:30 on the night of the autumn change) is read as the first
  of the two, the one still on summer time (Python's ``fold=0``).

Working hours ("09:00-18:00") are local wall-clock minutes of the studio zone; ``at_minute``
turns one day's minute into its UTC moment, leniently: a working hour inside a skipped hour
moves forward by the change (02:30 becomes 03:30), as a wall clock does.

This module imports only the standard library, so the config, the models, the services and the
pages all use it.
"""

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

DEFAULT_ZONE = "UTC"
ZONE_NAME_MAX_LENGTH = 64
SHOWN_FORMAT = "%Y-%m-%d %H:%M"


class UnknownTimeZone(ValueError):
    """A zone name that is not an IANA time zone."""


class NonexistentLocalTime(ValueError):
    """A local date and time that the clocks skip (the spring change)."""


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, sorted (the profile and studio pickers)."""
    return tuple(sorted(available_timezones() | {DEFAULT_ZONE}))


def checked_zone_name(name: object) -> str:
    """``name`` stripped, if it is a known IANA zone; UnknownTimeZone otherwise."""
    text = name.strip() if isinstance(name, str) else ""
    if not text or len(text) > ZONE_NAME_MAX_LENGTH or text not in zone_names():
        shown = str(name)[:ZONE_NAME_MAX_LENGTH]
        raise UnknownTimeZone(
            f"{shown!r} is not a time zone name; use a name such as America/Montreal, "
            "Europe/London or Asia/Kolkata."
        )
    return text


@lru_cache(maxsize=64)
def zone(name: str | None) -> ZoneInfo:
    """The zone called ``name`` (None or empty: UTC)."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise UnknownTimeZone(f"{name!r} is not a time zone name.") from error


def to_local(moment: datetime, zone_name: str | None) -> datetime:
    """The aware UTC (or naive, read as UTC) ``moment`` on the clocks of ``zone_name``."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone(zone_name))


def abbreviation(local: datetime) -> str:
    """The zone mark of a local moment: its abbreviation (EST, CEST, IST), or its offset
    (UTC+05:45) where the zone has no letters for it."""
    name = local.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = local.utcoffset() or timedelta()
    sign = "-" if offset < timedelta() else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def format_moment(
    moment: datetime | None, zone_name: str | None, pattern: str = SHOWN_FORMAT, mark: bool = True
) -> str:
    """``moment`` as shown to a viewer in ``zone_name``; a pattern with a time of day gets the
    zone mark after it ("2026-03-08 09:00 EST") unless ``mark`` is off (a page that names the
    zone once), a date-only pattern does not."""
    if moment is None:
        return ""
    local = to_local(moment, zone_name)
    text = local.strftime(pattern)
    with_time = "%H" in pattern or "%I" in pattern
    return f"{text} {abbreviation(local)}" if mark and with_time else text


def to_utc(local: datetime, zone_name: str | None) -> datetime:
    """The UTC moment of a naive local date and time typed in ``zone_name`` (see the module
    docstring for the skipped and the repeated hour)."""
    place = zone(zone_name)
    naive = local.replace(tzinfo=None)
    first = naive.replace(tzinfo=place, fold=0)
    if first.astimezone(UTC).astimezone(place).replace(tzinfo=None) != naive:
        raise NonexistentLocalTime(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {zone_name or DEFAULT_ZONE}: the clocks "
            "skip that hour for the change to summer time. Enter a time before or after it."
        )
    return first.astimezone(UTC)


def at_minute(day: date, minute: int, zone_name: str | None) -> datetime:
    """The UTC moment of ``minute`` minutes past midnight on the clocks of ``zone_name`` on
    ``day`` (1440 is the next midnight); a skipped wall time moves forward by the change."""
    extra, minute = divmod(minute, 1440)
    local = datetime.combine(day + timedelta(days=extra), time(minute // 60, minute % 60))
    return local.replace(tzinfo=zone(zone_name)).astimezone(UTC)


def local_day(moment: datetime, zone_name: str | None) -> date:
    """The date the clocks of ``zone_name`` show at ``moment``."""
    return to_local(moment, zone_name).date()


def day_bounds(day: date, zone_name: str | None) -> tuple[datetime, datetime]:
    """The UTC moments of ``day``'s local midnight and of the next one (23 or 25 hours apart
    on the nights the clocks change)."""
    return at_minute(day, 0, zone_name), at_minute(day, 1440, zone_name)
