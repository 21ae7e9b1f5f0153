"""A task's dates as the task page tells them: planned, computed by the last schedule, and
whether it is late or at risk, with the reason in words."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ...models import Task
from ..scheduling.lateness import Standing, TaskDates, earliest_milestone_date, standing
from ..workflow import rules

DAY_FORMAT = "%a %d %b %Y"


@dataclass(frozen=True)
class DatesSummary:
    """Where one task stands against its dates, and why."""

    standing: Standing
    reason: str


def _day(moment: datetime) -> str:
    return moment.strftime(DAY_FORMAT)


def _reason(dates: TaskDates, mark: Standing, now: datetime) -> str:
    """Why ``dates`` give ``mark`` at ``now``, in the words of the rule in lateness.py."""
    computed = dates.computed_end
    if mark is Standing.LATE:
        if computed is not None and computed < now:
            return f"Its computed end, {_day(computed)}, has passed and it is not finished."
        return f"Its planned end, {_day(dates.end)}, has passed and it is not finished."
    if mark is Standing.AT_RISK:
        limits = (
            (dates.end, "its planned end"),
            (dates.project_end, "its project's end"),
            (dates.milestone_date, "a milestone waiting for it"),
        )
        limit, what = next((d, w) for d, w in limits if d is not None and computed > d)
        return f"Its computed end, {_day(computed)}, is after {what}, {_day(limit)}."
    if dates.status_code in rules.FINISHED:
        return "It is finished."
    if dates.end is None and computed is None:
        return "It has no planned or computed end to be late against."
    return "Its dates are on time."


def dates_summary(task: Task, waiting: Iterable[Task], now: datetime) -> DatesSummary:
    """Where ``task`` stands against its dates at ``now`` and why, from the tasks ``waiting``
    for it (the milestones among them); its project and status should be loaded (no query)."""
    dates = TaskDates(
        status_code=task.status.code,
        end=task.end,
        computed_end=task.computed_end,
        project_end=task.project.end,
        milestone_date=earliest_milestone_date(waiting),
    )
    mark = standing(dates, now)
    return DatesSummary(standing=mark, reason=_reason(dates, mark, now))
