"""SQL pieces progress and the health figures share: leaf tasks, the day of a moment, a time log's
seconds, the same on SQLite and PostgreSQL; and timings converted to seconds."""

from sqlalchemy import ColumnElement, Date, cast, exists, func, null
from sqlalchemy.orm import Session, aliased

from ...models import Task, TimeLog
from ...models.schedule import ScheduleModel, TimeUnit, WorkingCalendar, unit_seconds

# Built once: making an alias of Task costs milliseconds, and every page of progress needs it.
_CHILD = aliased(Task)


def is_leaf() -> ColumnElement[bool]:
    """SQL: the task has no children."""
    return ~exists().where(_CHILD.parent_id == Task.id)


def day_of(dbsession: Session, moment) -> ColumnElement:
    """SQL: the UTC day of ``moment`` (a date on PostgreSQL, ``"YYYY-MM-DD"`` on SQLite)."""
    if dbsession.get_bind().dialect.name == "sqlite":
        return func.date(moment)
    return cast(moment, Date)


def typed_null(column) -> ColumnElement:
    """SQL: a NULL of ``column``'s type, for the columns a part of a UNION lacks (PostgreSQL
    cannot match an untyped NULL with a date, and rows are read through the first part's
    types)."""
    return cast(null(), column.type)


def seconds_between(dbsession: Session, start, end) -> ColumnElement[float]:
    """SQL: the seconds from ``start`` to ``end`` (two moments)."""
    if dbsession.get_bind().dialect.name == "sqlite":
        # julianday is exact to the millisecond; rounding drops the floating-point noise.
        days = func.julianday(end) - func.julianday(start)
        return func.round(days * 86400.0, 3)
    return func.extract("epoch", end - start)


def time_log_seconds(dbsession: Session) -> ColumnElement[float]:
    """SQL: a time log's length in seconds."""
    return seconds_between(dbsession, TimeLog.start, TimeLog.end)


class Effort:
    """Schedule timings in seconds on a calendar: sums are read grouped by unit and model (no
    CASE in SQL) and converted here, each factor computed once."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.factors = {
            (unit, model): unit_seconds(unit, model, calendar)
            for unit in TimeUnit
            for model in ScheduleModel
        }

    def seconds(self, unit: TimeUnit, model: ScheduleModel, timing: float | None) -> float:
        """``timing`` in ``unit`` under ``model`` as seconds (none is zero)."""
        return float(timing or 0) * self.factors[unit, model]
