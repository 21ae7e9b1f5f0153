""" "Why is it here?": what holds each scheduled task's computed start, read from the stored
schedule (no tj3 run) in a fixed number of queries whatever the number of tasks.

A cause holds when nothing but non-working time lies between the moment it releases the task
and the task's computed start. Working time here is the studio's weekly hours less studio
holidays and the time all of the task's computed resources are on vacation. The causes:

- ``pin``: a pinned start (or an end-pinned task planned back from its end);
- ``dependency``: a dependency of the task or of an ancestor (tj3 inherits a container's),
  released at the awaited task's end (or start) plus its gap;
- ``resource``: one of its people worked on another task that ended right before;
- ``vacation`` / ``holiday``: a person's vacation or a studio holiday ended right before;
- ``logged``: work was logged on it, so it starts at the first time log;
- ``now``: nothing else holds it and it starts at the run's now (``working_hours`` when that
  now lay outside working hours);
- ``unexplained``: none of the above (higher-priority work, partial availability).

A release moment that falls outside working hours says "then the next working hour". A
container spans its children: its reason names its earliest child, followed by that child's.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from ...models import Task, TaskDependency, User, Vacation
from ...models.schedule import DependencyTarget, ScheduleConstraint, ScheduleModel, to_seconds
from ...models.task import task_computed_resources
from ...models.task_path import subtree_pattern
from ..accounts.readable_projects import HIDDEN_TASK, ReadableProjects
from ..tasks.progress import format_work_time
from .fit import add_working_minutes, fmt, working_minutes
from .plan import Leave
from .snapshot import Calendar, working_calendar
from .why_reads import moments_statement

NEXT_WORKING_HOUR = ", then the next working hour"
UNEXPLAINED = (
    "tj3 placed it here: higher-priority work or partial availability of its people "
    "(nothing in the stored schedule holds it exactly here)."
)


@dataclass(frozen=True)
class Ref:
    """A task or a person named in a reason, for the page to link."""

    kind: str  # "task" or "user"
    id: int | None  # None for a task the viewer may not see
    label: str


@dataclass(frozen=True)
class Reason:
    """One cause holding a task's start: its kind, its words (text and links, in order), the
    tasks and people it names and the moment it releases the task."""

    kind: str
    parts: tuple[str | Ref, ...]
    moment: datetime | None = None
    task_ids: tuple[int, ...] = ()
    user_ids: tuple[int, ...] = ()
    awaits_start: bool = False  # a dependency on the awaited task's start ("onstart")

    @property
    def text(self) -> str:
        """The reason in plain words."""
        return "".join(part if isinstance(part, str) else part.label for part in self.parts)


@dataclass
class StartReasons:
    """What holds one scheduled task's computed ``start`` (a container: its earliest child)."""

    task_id: int
    start: datetime
    end: datetime
    reasons: list[Reason] = field(default_factory=list)
    child_id: int | None = None  # a container's earliest child

    @property
    def kinds(self) -> list[str]:
        return [reason.kind for reason in self.reasons]

    @property
    def first_text(self) -> str:
        """The first reason in words ("" without any)."""
        return self.reasons[0].text if self.reasons else ""


@dataclass
class _Row:
    """A task as the reasons need it."""

    id: int
    name: str
    path: str
    project_id: int
    start: datetime | None
    end: datetime | None
    computed_start: datetime | None
    computed_end: datetime | None
    constraint: ScheduleConstraint
    parent_id: int | None

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1]]


def _columns(task=Task) -> tuple:
    """The columns of a ``_Row`` of ``task`` (the Task class or an alias of it)."""
    return (
        task.id,
        task.name,
        task.path,
        task.project_id,
        task.start,
        task.end,
        task.computed_start,
        task.computed_end,
        task.schedule_constraint,
        task.parent_id,
    )


def _rows(dbsession: Session, statement: Select) -> list[_Row]:
    return [_Row(*row) for row in dbsession.execute(statement)]


def studio_holidays(dbsession: Session, before: datetime) -> list[Leave]:
    """The studio holidays (vacations without a user) that start before ``before``."""
    return [
        Leave("holiday", name, start, end)
        for name, start, end in dbsession.execute(
            select(Vacation.name, Vacation.start, Vacation.end).where(
                Vacation.user_id.is_(None), Vacation.start < before
            )
        )
    ]


class _Explainer:
    """The reasons of a batch of tasks from the rows read once (see ``why_here``)."""

    def __init__(
        self, dbsession: Session, subjects: list[_Row], readable, run_now: datetime | None
    ) -> None:
        self.dbsession = dbsession
        self.readable = readable
        self.calendar = working_calendar(dbsession)
        ids = [row.id for row in subjects]
        latest = max(row.computed_start for row in subjects)
        project_ids = {row.project_id for row in subjects}
        self.dependencies = self._dependencies(subjects)
        self.people, self.busy = self._people(ids)
        awaited = [row for pairs in self.dependencies.values() for _, row in pairs]
        named = [row for rows in self.busy.values() for row in rows] + awaited + subjects
        ancestor_ids = {a for row in named for a in row.ancestor_ids}
        self._read_moments(ids, project_ids, latest, run_now, ancestor_ids)
        self.paths = {
            row.id: [self.waiting_names[a] for a in row.ancestor_ids if a in self.waiting_names]
            for row in named
        }

    def _dependencies(self, subjects: list[_Row]) -> dict[int, list[tuple]]:
        """What each subject or ancestor waits for: (dependency, awaited row) by waiting id."""
        waiting = {row.id for row in subjects} | {a for row in subjects for a in row.ancestor_ids}
        awaited = aliased(Task)
        rows = self.dbsession.execute(
            select(TaskDependency, *_columns(awaited))
            .join(awaited, awaited.id == TaskDependency.depends_on_id)
            .where(TaskDependency.task_id.in_(waiting))
            .order_by(TaskDependency.task_id, awaited.id)
        ).all()
        found: dict[int, list[tuple]] = {}
        for dependency, *columns in rows:
            found.setdefault(dependency.task_id, []).append((dependency, _Row(*columns)))
        return found

    def _people(self, ids: list[int]) -> tuple[dict, dict[tuple[int, int], list[_Row]]]:
        """In one query: each subject's people, (user id, name) by task id, and for each
        (task id, user id) the other tasks of that person ending last at or before the task's
        computed start."""
        own, theirs = aliased(task_computed_resources), aliased(task_computed_resources)
        subject, other = aliased(Task), aliased(Task)
        # A correlated subquery per (task, person): the planner walks that person's tasks by
        # index, where a grouped outer join hashed the whole tasks table.
        end = (
            select(func.max(other.computed_end))
            .join(theirs, theirs.c.task_id == other.id)
            .where(
                theirs.c.user_id == own.c.user_id,
                theirs.c.task_id != own.c.task_id,
                other.computed_end <= subject.computed_start,
            )
            .correlate(own, subject)
            .scalar_subquery()
        )
        latest = (
            select(own.c.task_id, User.id.label("user_id"), User.name, end.label("end"))
            .join(User, User.id == own.c.user_id)
            .join(subject, subject.id == own.c.task_id)
            .where(own.c.task_id.in_(ids))
            .subquery()
        )
        worked, before = aliased(task_computed_resources), aliased(Task)
        rows = self.dbsession.execute(
            select(latest.c.task_id, latest.c.user_id, latest.c.name, *_columns(before))
            .outerjoin(
                worked.join(before, before.id == worked.c.task_id),
                (worked.c.user_id == latest.c.user_id)
                & (before.computed_end == latest.c.end)
                & (before.id != latest.c.task_id),
            )
            .order_by(latest.c.name, latest.c.user_id, before.id)
        )
        people: dict[int, list[tuple[int, str]]] = {}
        busy: dict[tuple[int, int], list[_Row]] = {}
        for task_id, user_id, name, *columns in rows:
            if (user_id, name) not in people.get(task_id, []):
                people.setdefault(task_id, []).append((user_id, name))
            if columns[0] is not None:
                busy.setdefault((task_id, user_id), []).append(_Row(*columns))
        return people, busy

    def _read_moments(
        self,
        ids: list[int],
        project_ids: set[int],
        before: datetime,
        run_now: datetime | None,
        ancestor_ids: set[int],
    ) -> None:
        """In one query: the vacations of the subjects' people and the studio holidays that
        start before ``before``, the first time logged on each subject, (unless ``run_now``
        is given) the "now" of the run that computed each project's schedule, and the names of
        the tasks ``ancestor_ids`` (the tasks named in reasons are named by their path)."""
        users = {user_id for people in self.people.values() for user_id, _ in people}
        statement = moments_statement(
            ids, users, before, ancestor_ids, None if run_now is not None else project_ids
        )
        leaves, self.first_logs, nows_read, self.waiting_names = [], {}, {}, {}
        for kind, ref, name, start, end, vacation_id in self.dbsession.execute(statement):
            if kind == "leave":
                leaves.append((start, vacation_id, ref, name, end))
            elif kind == "log":
                self.first_logs[ref] = start
            elif kind == "name":
                self.waiting_names[ref] = name
            else:
                nows_read[ref] = start
        self.now = dict.fromkeys(project_ids, run_now) if run_now is not None else nows_read
        self.vacations: dict[int, list[Leave]] = {}
        self.holidays: list[Leave] = []
        for start, _, user_id, name, end in sorted(leaves, key=lambda leave: leave[:2]):
            if user_id is None:
                self.holidays.append(Leave("holiday", name, start, end))
            else:
                self.vacations.setdefault(user_id, []).append(Leave("annual", name, start, end))

    # What holds one leaf task

    def reasons(self, row: _Row) -> list[Reason]:
        """Every cause that holds ``row``'s computed start (see the module docstring)."""
        start = row.computed_start
        if row.constraint is ScheduleConstraint.END and row.end is not None:
            text = f"Planned back from its pinned end {fmt(row.end)}: it starts as late as its work"
            return [Reason("pin", (text + " allows.",), row.end)]
        leaves = self._leaves(row.id)
        now = self.now.get(row.project_id)
        found: list[Reason] = []
        pinned = row.constraint in (ScheduleConstraint.START, ScheduleConstraint.BOTH)
        if pinned and row.start is not None and self._holds(row.start, start, leaves):
            found.append(Reason("pin", (f"Pinned to start on {fmt(row.start)}.",), row.start))
        first_log = self.first_logs.get(row.id)
        resolution = timedelta(minutes=self.calendar.resolution_minutes)
        if first_log is not None and abs(first_log - start) < resolution:
            text = f"Work was already logged on it from {fmt(first_log)}, so it starts there"
            found.append(Reason("logged", (text + ".",), first_log))
        released = [
            reason
            for reason in (
                *self._dependency_reasons(row),
                *self._resource_reasons(row),
                *self._leave_reasons(row),
            )
            if (now is None or reason.moment >= now) and self._holds(reason.moment, start, leaves)
        ]
        found += [self._with_hours(reason, start) for reason in released]
        if found:
            return found
        if now is not None and self._holds(now, start, leaves):
            return [self._now_reason(now)]
        return [Reason("unexplained", (UNEXPLAINED,))]

    def _leaves(self, task_id: int) -> list[Leave]:
        """The studio holidays and the time all of the task's people are away."""
        people = [user_id for user_id, _ in self.people.get(task_id, [])]
        away = [self.vacations.get(user_id, []) for user_id in people]
        return self.holidays + (_common(away) if away else [])

    def _holds(self, moment: datetime, start: datetime, leaves: list[Leave]) -> bool:
        """Whether no working time lies between ``moment`` and ``start``."""
        return moment <= start and not working_minutes(
            self.calendar, moment, start, leaves, enough=1
        )

    def _with_hours(self, reason: Reason, start: datetime) -> Reason:
        """``reason`` saying "then the next working hour" when its moment lies outside working
        hours (and no holiday or vacation fills the time up to the start)."""
        if reason.moment >= start or reason.kind in ("pin", "logged"):
            return reason
        if working_minutes(self.calendar, reason.moment, start, [], enough=1):
            return reason
        last = reason.parts[-1]
        parts = reason.parts[:-1] + (last.removesuffix(".") + NEXT_WORKING_HOUR + ".",)
        return replace(reason, parts=parts)

    def _now_reason(self, now: datetime) -> Reason:
        if add_working_minutes(self.calendar, now, 0, self.holidays) == now:
            return Reason(
                "now",
                (f"Nothing else holds it: it starts at the run's now ({fmt(now)}).",),
                now,
            )
        text = f"The run's now ({fmt(now)}) falls outside working hours: it starts at the next"
        return Reason("working_hours", (text + " working hour.",), now)

    def _task_ref(self, row: _Row) -> Ref:
        """A task named by its path (its ancestors' names and its own), unless hidden."""
        if self.readable is not None and row.project_id not in self.readable:
            return Ref("task", None, HIDDEN_TASK)
        return Ref("task", row.id, " / ".join([*self.paths.get(row.id, []), row.name]))

    def _dependency_reasons(self, row: _Row) -> list[Reason]:
        reasons = []
        for waiting_id in [row.id, *reversed(row.ancestor_ids)]:
            for dependency, awaited in self.dependencies.get(waiting_id, []):
                reason = self._dependency_reason(row, waiting_id, dependency, awaited)
                if reason is not None:
                    reasons.append(reason)
        return reasons

    def _dependency_reason(self, row: _Row, waiting_id: int, dependency, awaited: _Row):
        onstart = dependency.dependency_target is DependencyTarget.ONSTART
        base = awaited.computed_start if onstart else awaited.computed_end
        if base is None:
            return None
        released = dependency_release(self.calendar, self.holidays, dependency, base)
        parts: list[str | Ref] = [
            "Starts after ",
            self._task_ref(awaited),
            f" {'starts' if onstart else 'ends'} ({fmt(base)})",
        ]
        seconds = to_seconds(
            dependency.gap_timing, dependency.gap_unit, dependency.gap_model, self.calendar
        )
        if seconds and dependency.gap_model is ScheduleModel.DURATION:
            parts.append(f" plus a gap of {_calendar_time(seconds)} ({fmt(released)})")
        elif seconds:
            gap = format_work_time(seconds, self.calendar.daily_working_hours)
            parts.append(f" plus a gap of {gap} of working time ({fmt(released)})")
        if waiting_id != row.id:
            parts.append(
                f": a dependency of {self.waiting_names.get(waiting_id, 'a parent task')}, "
                "which it inherits"
            )
        parts.append(".")
        return Reason("dependency", tuple(parts), released, (awaited.id,), awaits_start=onstart)

    def _resource_reasons(self, row: _Row) -> list[Reason]:
        reasons = []
        for user_id, name in self.people.get(row.id, []):
            others = self.busy.get((row.id, user_id), [])
            if not others:
                continue
            other = others[0]
            reasons.append(
                Reason(
                    "resource",
                    (
                        Ref("user", user_id, name),
                        " is busy with ",
                        self._task_ref(other),
                        f" until {fmt(other.computed_end)}.",
                    ),
                    other.computed_end,
                    task_ids=(other.id,),
                    user_ids=(user_id,),
                )
            )
        return reasons

    def _leave_reasons(self, row: _Row) -> list[Reason]:
        start = row.computed_start
        reasons = []
        for user_id, name in self.people.get(row.id, []):
            vacation = self._last_leave(self.vacations.get(user_id, []), start)
            if vacation is not None:
                reasons.append(
                    Reason(
                        "vacation",
                        (Ref("user", user_id, name), f" is on vacation until {fmt(vacation.end)}."),
                        vacation.end,
                        user_ids=(user_id,),
                    )
                )
        holiday = self._last_leave(self.holidays, start)
        if holiday is not None:
            reasons.append(
                Reason(
                    "holiday",
                    (f"The studio is closed ({holiday.name}) until {fmt(holiday.end)}.",),
                    holiday.end,
                )
            )
        return reasons

    def _last_leave(self, leaves: list[Leave], start: datetime) -> Leave | None:
        """The last of ``leaves`` ending by ``start`` that took working time away."""
        ended = [
            leave
            for leave in leaves
            if leave.end <= start
            and working_minutes(self.calendar, leave.start, leave.end, [], enough=1)
        ]
        return max(ended, key=lambda leave: leave.end, default=None)


def dependency_release(
    calendar: Calendar, holidays: list[Leave], dependency: TaskDependency, base: datetime
) -> datetime:
    """When ``dependency`` releases its waiting task: ``base`` (the awaited task's computed end,
    or start for "onstart") plus the gap, in working time on the studio calendar less holidays
    (length) or in calendar time (duration)."""
    seconds = to_seconds(dependency.gap_timing, dependency.gap_unit, dependency.gap_model, calendar)
    if not seconds:
        return base
    if dependency.gap_model is ScheduleModel.DURATION:
        return base + timedelta(seconds=seconds)
    return add_working_minutes(calendar, base, seconds / 60, holidays)


def _common(away: list[list[Leave]]) -> list[Leave]:
    """The time every one of ``away`` (each a person's leaves) is away at once."""
    common = away[0]
    for leaves in away[1:]:
        common = [
            Leave("annual", "", max(a.start, b.start), min(a.end, b.end))
            for a in common
            for b in leaves
            if min(a.end, b.end) > max(a.start, b.start)
        ]
    return common


def _calendar_time(seconds: float) -> str:
    """Calendar seconds in words: ``1 calendar day``, ``3 calendar days``, ``5 h``."""
    days, rest = divmod(seconds, 86400)
    if days and not rest:
        return f"{days:g} calendar day{'s' if days != 1 else ''}"
    return f"{seconds / 3600:g} h (calendar time)"


def _earliest_leaf(row: _Row, children: dict[int, list[_Row]]) -> _Row:
    """The leaf a container's start comes from: its earliest-starting child, down the tree."""
    while children.get(row.id):
        row = min(children[row.id], key=lambda child: (child.computed_start, child.id))
    return row


def why_here(
    dbsession: Session,
    task_ids: Iterable[int],
    readable: ReadableProjects | None = None,
    run_now: datetime | None = None,
    *,
    leaves: Iterable[Task] = (),
) -> dict[int, StartReasons]:
    """What holds the computed start of each scheduled task of ``task_ids`` and ``leaves``
    (leaf tasks the caller has loaded: read from the objects, not again from the database), by
    task id (tasks not scheduled are left out). A fixed number of queries whatever the number
    of tasks. Tasks of projects not ``readable`` (when given) are named "a task in a project
    you cannot see". ``run_now`` is the "now" of the run that computed the dates (default: read
    from the last successful runs; a run writing its results gives its own)."""
    asked = [
        _Row(*(getattr(task, column.key) for column in _columns()))
        for task in leaves
        if task.computed_start is not None
    ]
    task_ids = set(task_ids) - {row.id for row in asked}
    containers = set()
    if task_ids:
        child = aliased(Task)
        for *columns, has_children in dbsession.execute(
            select(*_columns(), exists().where(child.parent_id == Task.id)).where(
                Task.id.in_(task_ids), Task.computed_start.is_not(None)
            )
        ):
            asked.append(_Row(*columns))
            if has_children:
                containers.add(asked[-1].id)
    if not asked:
        return {}
    inside: list[_Row] = []
    outer = [row for row in asked if row.id in containers]
    if outer:
        inside = _rows(
            dbsession,
            select(*_columns()).where(
                or_(*(Task.path.like(subtree_pattern(row.path)) for row in outer)),
                Task.computed_start.is_not(None),
            ),
        )
    children: dict[int, list[_Row]] = {}
    for row in inside:
        if row.parent_id is not None:
            children.setdefault(row.parent_id, []).append(row)
    leaf_of = {row.id: _earliest_leaf(row, children) for row in asked}
    subjects = list({leaf.id: leaf for leaf in leaf_of.values()}.values())
    explainer = _Explainer(dbsession, subjects, readable, run_now)
    leaf_reasons = {leaf.id: explainer.reasons(leaf) for leaf in subjects}
    result = {}
    for row in asked:
        leaf = leaf_of[row.id]
        reasons = list(leaf_reasons[leaf.id])
        if leaf.id != row.id:
            first = min(children[row.id], key=lambda child: (child.computed_start, child.id))
            through = f" (through {leaf.name})" if first.id != leaf.id else ""
            parts = (
                "Spans its children; its earliest child ",
                Ref("task", first.id, first.name),
                f" starts {fmt(first.computed_start)}{through}:",
            )
            reasons.insert(0, Reason("children", parts, first.computed_start, (first.id,)))
        result[row.id] = StartReasons(
            row.id,
            row.computed_start,
            row.computed_end,
            reasons,
            child_id=leaf.id if leaf.id != row.id else None,
        )
    return result
