"""Stalker's scheduling vocabulary (enums) and the conversion of timings to seconds."""

from enum import StrEnum
from typing import Protocol, TypeVar

from sqlalchemy import Enum

from .meta import InvalidValue

HOUR = 3600
DAY = 24 * HOUR
WEEK = 7 * DAY


class ScheduleModel(StrEnum):
    """How a timing is read: person-time (effort), working-time span (length) or calendar span."""

    EFFORT = "effort"
    LENGTH = "length"
    DURATION = "duration"


class TimeUnit(StrEnum):
    """The unit of a timing: minutes, hours, days, weeks, months (4 weeks) or years."""

    MINUTE = "min"
    HOUR = "h"
    DAY = "d"
    WEEK = "w"
    MONTH = "m"
    YEAR = "y"


class ScheduleConstraint(StrEnum):
    """Which of a task's dates TaskJuggler must keep: none, the start, the end or both."""

    NONE = "none"
    START = "start"
    END = "end"
    BOTH = "both"


class DependencyTarget(StrEnum):
    """A dependent task starts after the end (onend) or after the start (onstart) of the other."""

    ONEND = "onend"
    ONSTART = "onstart"


class AllocationStrategy(StrEnum):
    """TaskJuggler's choice among a task's alternative resources."""

    MINALLOCATED = "minallocated"
    MAXLOADED = "maxloaded"
    MINLOADED = "minloaded"
    ORDER = "order"
    RANDOM = "random"


EnumT = TypeVar("EnumT", bound=StrEnum)


def enum_column_type(enum_class: type[StrEnum]) -> Enum:
    """A VARCHAR column type storing the enum's values (not its member names)."""
    return Enum(
        enum_class,
        native_enum=False,
        values_callable=lambda members: [member.value for member in members],
        length=16,
        validate_strings=True,
    )


def parse_enum(enum_class: type[EnumT], value, field: str, label: str) -> EnumT:
    """``value`` as a member of ``enum_class``: a member, its value or its name, in any case."""
    if isinstance(value, enum_class):
        return value
    text = str(value or "").strip().lower()
    for member in enum_class:
        if text in (member.value.lower(), member.name.lower()):
            return member
    choices = ", ".join(member.value for member in enum_class)
    raise InvalidValue(field, f"{label} must be one of {choices}, not {value!r}.")


class WorkingCalendar(Protocol):
    """The studio calendar figures a conversion needs (``Studio`` provides them)."""

    daily_working_hours: int
    weekly_working_days: int
    yearly_working_days: int


def unit_seconds(unit: TimeUnit, model: ScheduleModel, calendar: WorkingCalendar) -> int:
    """Seconds in one ``unit``: working time for effort and length, calendar time for duration."""
    if model is ScheduleModel.DURATION:
        day, week, year = DAY, WEEK, 365 * DAY
    else:
        day = calendar.daily_working_hours * HOUR
        week = calendar.weekly_working_days * day
        year = calendar.yearly_working_days * day
    return {
        TimeUnit.MINUTE: 60,
        TimeUnit.HOUR: HOUR,
        TimeUnit.DAY: day,
        TimeUnit.WEEK: week,
        TimeUnit.MONTH: 4 * week,
        TimeUnit.YEAR: year,
    }[unit]


def to_seconds(timing: float, unit, model, calendar: WorkingCalendar) -> float:
    """``timing`` ``unit``s in seconds under ``model`` (2 d effort = 2 × 9 h with a 9 h day)."""
    unit = parse_enum(TimeUnit, unit, "unit", "The unit")
    model = parse_enum(ScheduleModel, model, "model", "The schedule model")
    return timing * unit_seconds(unit, model, calendar)
