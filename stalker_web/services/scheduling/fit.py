"""Whether work can fit at all, checked before tj3 runs: an effort against the working time
between its pinned dates (or between now and a pinned end), a pinned end before now, and the
people of a task away for the whole planning window.

tj3 reports each of these as the same "does not fit into the project time frame"; here each gets
a message naming the task, the dates and what to change. Working time is the studio calendar's
working hours less studio holidays and the person's vacations (work on projects outside the run
is not counted, so the check never refuses a plan tj3 could schedule).
"""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from ...config import WEEKDAYS
from ...time_zones import at_minute, local_day
from .messages import Message, Names, check_message
from .plan import BEFORE_CONTRACT, CONTRACT_LEAVE, CheckedStudio, Leave, PlannedTask
from .snapshot import Calendar

_WORK = {
    "effort": "{hours} h of work",
    "length": "{hours} h of working time",
    "duration": "{hours} h",
}


def fmt(moment: datetime) -> str:
    """A moment as the messages show it: ``2024-01-09 09:00 UTC``."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def hours(minutes: float) -> str:
    """Minutes as hours with at most one decimal: ``40``, ``2.5``."""
    return f"{round(minutes / 60, 1):g}"


def people_text(names: list[str]) -> str:
    """``Ann``, ``Ann and Bob``, ``Ann, Bob and Cy``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def working_intervals(calendar: Calendar, start: datetime) -> Iterator[tuple[datetime, datetime]]:
    """The calendar's working intervals as UTC moments, day after day from the local day of
    ``start`` on (the working hours are wall-clock hours of ``calendar.time_zone``, so they move
    in UTC when the clocks change); endless: the caller stops."""
    zone_name = calendar.time_zone
    day = local_day(start, zone_name)
    while True:
        for first, last in calendar.working_hours.get(WEEKDAYS[day.weekday()]) or []:
            yield at_minute(day, first, zone_name), at_minute(day, last, zone_name)
        yield at_minute(day, 1440, zone_name), at_minute(day, 1440, zone_name)
        day += timedelta(days=1)


def working_minutes(
    calendar: Calendar, start: datetime, end: datetime, leaves: list[Leave], enough: float = 0
) -> float:
    """Working minutes of ``calendar`` from ``start`` to ``end`` outside ``leaves``; stops
    counting once ``enough`` (when given) is reached."""
    total = 0.0
    for opens, closes in working_intervals(calendar, start):
        if opens >= end:
            return total
        piece_start, piece_end = max(start, opens), min(end, closes)
        if piece_end > piece_start:
            total += _outside_leaves(piece_start, piece_end, leaves)
            if enough and total >= enough:
                return total
    return total


def add_working_minutes(
    calendar: Calendar, start: datetime, minutes: float, leaves: list[Leave], days: int = 3660
) -> datetime:
    """The moment ``minutes`` working minutes of ``calendar`` after ``start``, outside
    ``leaves``; with 0 minutes, the first working moment at or after ``start``. ValueError when
    ``days`` days from ``start`` do not hold that much working time."""
    limit = start + timedelta(days=days)
    for opens, closes in working_intervals(calendar, start):
        if opens >= limit:
            break
        for free_start, free_end in _free_pieces(max(start, opens), closes, leaves):
            length = (free_end - free_start).total_seconds() / 60
            if minutes <= length:
                return free_start + timedelta(minutes=minutes)
            minutes -= length
    raise ValueError(f"no working time within {days} days of {fmt(start)}")


def _free_pieces(
    start: datetime, end: datetime, leaves: list[Leave]
) -> list[tuple[datetime, datetime]]:
    """The parts of [start, end] outside ``leaves``, in order."""
    pieces = [(start, end)] if end > start else []
    for leave in leaves:
        pieces = [
            part
            for piece_start, piece_end in pieces
            for part in (
                (piece_start, min(piece_end, leave.start)),
                (max(piece_start, leave.end), piece_end),
            )
            if part[1] > part[0]
        ]
    return pieces


def _outside_leaves(start: datetime, end: datetime, leaves: list[Leave]) -> float:
    return sum(
        (piece_end - piece_start).total_seconds() / 60
        for piece_start, piece_end in _free_pieces(start, end, leaves)
    )


class FitCheck:
    """The fit messages of a checked studio (see the module docstring)."""

    def __init__(self, studio: CheckedStudio) -> None:
        self.studio = studio
        self.names: Names = studio.names
        self.calendar = studio.calendar
        self.leaves = {
            resource.id: [leave for leave in resource.leaves if leave.kind != "project"]
            + studio.holidays
            for resource in studio.resources
        }
        self.efficiency = {resource.id: resource.efficiency for resource in studio.resources}
        self.messages: list[Message] = []
        self._free: dict[tuple[int, datetime], bool] = {}

    def _capacity(self, task: PlannedTask, model: str, start: datetime, end: datetime):
        """(minutes of the kind ``model`` counts from ``start`` to ``end``, who counts them)."""
        if model == "duration":
            return (end - start).total_seconds() / 60, "only {hours} h pass in that time"
        if model == "length" or not task.allocations:
            minutes = working_minutes(self.calendar, start, end, self.studio.holidays)
            return minutes, "the studio calendar has only {hours} working hours in that time"
        people = task.allocations + task.alternatives
        minutes = sum(
            self.efficiency.get(user_id, 1.0)
            * working_minutes(self.calendar, start, end, self.leaves.get(user_id, []))
            for user_id in people
        )
        who = people_text([self._user(user_id) for user_id in people])
        braced = who.replace("{", "{{").replace("}", "}}")
        return minutes, braced + " can work only {hours} h in that time"

    def _user(self, user_id: int) -> str:
        return self.names.users.get(user_id) or f"user {user_id}"

    def _refuse(self, task: PlannedTask, model: str, minutes: int, span: str, start, end):
        capacity, who = self._capacity(task, model, start, end)
        if capacity >= minutes:
            return False
        self.messages.append(
            check_message(
                "error",
                f"{self.names.task(task.id)} needs "
                + _WORK[model].format(hours=hours(minutes))
                + f" between {span}, but "
                + who.format(hours=hours(capacity))
                + " (working hours, holidays and vacations counted). Move a pinned date, "
                "lower the effort or add people.",
                [task.id],
            )
        )
        return True

    def both_pins(self, task: PlannedTask) -> None:
        """A timing between two pins: refused when it cannot fit, else ignored with a warning."""
        model, minutes = task.pinned_timing
        logged = sum((end - start).total_seconds() / 60 for _, start, end in task.bookings)
        span = f"its pinned start {fmt(task.start)} and its pinned end {fmt(task.end)}"
        if logged < minutes and self._refuse(
            task, model, minutes - logged, span, task.start, task.end
        ):
            return
        self.messages.append(
            check_message(
                "warning",
                f"{self.names.task(task.id)} is pinned at both ends ({fmt(task.start)} to "
                f"{fmt(task.end)}) and has {'an' if model == 'effort' else 'a'} {model} of "
                f"{hours(minutes)} h: tj3 cannot plan both, so the {model} is ignored and the "
                f"task takes the whole pinned time. Remove one pin to plan it by its {model}.",
                [task.id],
            )
        )

    def pinned_end(self, task: PlannedTask) -> None:
        """Work before a pinned end: the end must lie after now, with room for the work."""
        model, minutes = task.timing
        now = self.studio.now
        if task.end <= now:
            self.messages.append(
                check_message(
                    "error",
                    f"{self.names.task(task.id)} is pinned to end {fmt(task.end)}, which lies "
                    f"before now ({fmt(now)}), with {_WORK[model].format(hours=hours(minutes))} "
                    "to do. Move the end after now or remove the pin.",
                    [task.id],
                )
            )
            return
        span = f"now {fmt(now)} and its pinned end {fmt(task.end)}"
        self._refuse(task, model, minutes, span, now, task.end)

    def _is_free(self, user_id: int, start: datetime) -> bool:
        key = (user_id, start)
        if key not in self._free:
            leaves = self.leaves.get(user_id, [])
            self._free[key] = (
                working_minutes(self.calendar, start, self.studio.window_end, leaves, enough=1) > 0
            )
        return self._free[key]

    def people_away(self, task: PlannedTask) -> None:
        """Every person of an effort task away from its earliest start to the window's end."""
        start = max(self.studio.now, task.start or self.studio.now)
        people = task.allocations + task.alternatives
        if any(self._is_free(user_id, start) for user_id in people):
            return
        names = [self._user(user_id) for user_id in people]
        contracts = [self._contract_text(user_id, start) for user_id in people]
        if any(contracts):
            reasons = [
                contract or f"{name} is on vacation"
                for name, contract in zip(names, contracts, strict=True)
            ]
            self.messages.append(
                check_message(
                    "error",
                    f"{self.names.task(task.id)} has {hours(task.timing[1])} h of work, but "
                    f"nobody on it can work in the planning window ({fmt(start)} to "
                    f"{fmt(self.studio.window_end)}): {'; '.join(reasons)}. Assign someone "
                    "else, change the contract window or raise scheduling.horizon_days.",
                    [task.id],
                    people,
                )
            )
            return
        self.messages.append(
            check_message(
                "error",
                f"{self.names.task(task.id)} has {hours(task.timing[1])} h of work, but "
                f"{people_text(names)} {'is' if len(names) == 1 else 'are'} on vacation for "
                f"the whole planning window ({fmt(start)} to {fmt(self.studio.window_end)}). "
                "Assign someone else, move the vacation or raise scheduling.horizon_days.",
                [task.id],
                people,
            )
        )

    def _contract_text(self, user_id: int, start: datetime) -> str:
        """Why ``user_id`` cannot work from ``start`` when their contract window is the reason
        (they would be free without it), e.g. "Fred is not under contract after 2024-01-05
        18:00 UTC"; empty otherwise."""
        leaves = self.leaves.get(user_id, [])
        contract = [leave for leave in leaves if leave.kind == CONTRACT_LEAVE]
        others = [leave for leave in leaves if leave.kind != CONTRACT_LEAVE]
        end = self.studio.window_end
        if not contract or not working_minutes(self.calendar, start, end, others, enough=1):
            return ""
        name = self._user(user_id)
        if any(
            leave.name != BEFORE_CONTRACT and leave.start <= self.studio.now for leave in contract
        ):
            return f"{name} is not under contract any more"
        parts = [
            f"before {fmt(leave.end)}"
            if leave.name == BEFORE_CONTRACT
            else f"after {fmt(leave.start)}"
            for leave in contract
        ]
        return f"{name} is not under contract {' or '.join(parts)}"

    def check(self) -> list[Message]:
        """The fit messages of every leaf task of the studio."""
        for project in self.studio.projects:
            for task in project.tasks:
                self._check_task(task)
        return self.messages

    def _check_task(self, task: PlannedTask) -> None:
        check: Callable[[PlannedTask], None] | None = None
        if task.pinned_timing is not None:
            check = self.both_pins
        elif task.timing is None or task.bookings:
            return
        elif task.end is not None and task.start is None:
            check = self.pinned_end
        elif task.timing[0] == "effort" and task.allocations:
            check = self.people_away
        if check is not None:
            check(task)


def fit_messages(studio: CheckedStudio) -> list[Message]:
    """The messages of the fit checks of ``studio`` (see the module docstring)."""
    return FitCheck(studio).check()
