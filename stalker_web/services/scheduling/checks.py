"""What tj3 would stop at, found before it runs, and the adjustments a producer expects.

tj3 reports only its first hard error, so everything that can be known beforehand is checked
here, with messages naming the tasks. Errors stop the run before tj3 starts:

- dependency loops, read the way TaskJuggler reads the tree (a task inherits its container's
  dependencies; waiting for a container's end waits for everything inside it), and a task
  waiting for a task that contains it;
- overlapping time logs of one user (tj3: "multiple conflicting bookings");
- a pinned start or end without its date, or after the planning window;
- a dependency on a task of a project outside the run that has never been scheduled;
- an effort task whose only people have an efficiency of 0;
- work that cannot fit its pinned dates, a pinned end before now, people away for the whole
  window (``fit.py``).

Adjusted, with a warning saying so:

- time logs are moved to the timing-resolution grid (to the nearest step, as Stalker rounds
  dates); logs in the future are left out and a log running past now is cut at now (tj3 refuses
  bookings after now); logs on containers or milestones are left out (tj3 refuses them);
- an effort below the resolution is raised to one step (tj3 refuses it; it rounds the rest);
  a timing of zero makes a milestone;
- an effort task without anybody to do it is planned as that much working time (a ``length``)
  without a resource: its dependants then get realistic dates, where Stalker's empty task
  becomes a zero-length milestone at the project start;
- inactive users are not allocated; gaps below one resolution step are raised to it;
- pinned dates, vacations and now are put on the grid;
- a person's contract window (``available_from``/``available_until``) becomes leaves before
  and after it ("not under contract"), from now to the window's end, so no work lands outside;
- a timing given with both ends pinned is ignored (tj3 refuses the three together) when it
  fits between the pins; the task takes the pinned time;
- a container's milestone flag and pinned end are ignored (its dates come from its tasks);
  its pinned start is kept: nothing inside it starts earlier.
"""

from collections import defaultdict, deque
from datetime import datetime, timedelta

from ...models.schedule import DependencyTarget, ScheduleConstraint, ScheduleModel, to_seconds
from .fit import fit_messages, fmt
from .messages import Message, Names, check_message
from .plan import (
    AFTER_CONTRACT,
    BEFORE_CONTRACT,
    CONTRACT_LEAVE,
    Anchor,
    CheckedStudio,
    Leave,
    PlannedDependency,
    PlannedProject,
    PlannedResource,
    PlannedTask,
    floor_day,
    round_to_grid,
)
from .snapshot import StudioSnapshot, TaskRow

LISTED = 10  # names listed in one message; the ids of all are kept


def _braced(text: str) -> str:
    """``text`` safe inside a ``str.format`` template."""
    return text.replace("{", "{{").replace("}", "}}")


def tasks_text(names: Names, task_ids: list[int]) -> str:
    """The first ``LISTED`` tasks by name, and how many more: "A (task 1), B (task 2) and 3
    more"."""
    listed = ", ".join(names.task(task_id) for task_id in task_ids[:LISTED])
    more = len(task_ids) - LISTED
    return listed + (f" and {more} more" if more > 0 else "")


def tjp_task_id(task: TaskRow) -> str:
    """The .tjp id of a task in the run: ``Studio.Project_<p>.Task_<root>...Task_<id>``."""
    ids = [*task.ancestor_ids, task.id]
    return f"Studio.Project_{task.project_id}." + ".".join(f"Task_{i}" for i in ids)


class _Checker:
    def __init__(self, snapshot: StudioSnapshot, now: datetime, horizon_days: int) -> None:
        self.snapshot = snapshot
        self.calendar = snapshot.calendar
        self.resolution = snapshot.calendar.resolution_minutes
        self.now = round_to_grid(now, self.resolution)
        self.real_now = now
        self.horizon_days = horizon_days
        self.tasks = {task.id: task for task in snapshot.tasks}
        self.parents = {task.parent_id for task in snapshot.tasks if task.parent_id is not None}
        self.names = Names(
            tasks={task.id: task.name for task in snapshot.tasks}
            | {dep.depends_on_id: dep.depends_on_name for dep in snapshot.dependencies},
            projects={project.id: project.name for project in snapshot.projects},
            users={user.id: user.name for user in snapshot.users.values()},
        )
        self.messages: list[Message] = []
        self.planned: dict[int, PlannedTask] = {}
        self.anchors: dict[int, Anchor] = {}

    # Messages ----------------------------------------------------------------------------

    def _about_tasks(self, level: str, task_ids: list[int], text: str) -> None:
        """One message for a group of tasks: ``text`` gets ``{count}``, ``{tasks}``, and ``{s}``,
        ``{are}``, ``{have}`` for the plural or singular."""
        if not task_ids:
            return
        task_ids = list(dict.fromkeys(task_ids))
        count = len(task_ids)
        self.messages.append(
            check_message(
                level,
                text.format(
                    count=count,
                    s="" if count == 1 else "s",
                    are="is" if count == 1 else "are",
                    have="has" if count == 1 else "have",
                    tasks=tasks_text(self.names, task_ids),
                ),
                task_ids,
            )
        )

    # Tasks -------------------------------------------------------------------------------

    def plan_tasks(self) -> list[PlannedProject]:
        users = self.snapshot.users
        inactive: dict[int, list[int]] = defaultdict(list)
        groups: dict[str, list[int]] = defaultdict(list)
        projects: dict[int, list[PlannedTask]] = {
            project.id: [] for project in self.snapshot.projects
        }
        for task in self.snapshot.tasks:
            planned = PlannedTask(
                id=task.id,
                depth=len(task.ancestor_ids),
                is_leaf=task.id not in self.parents,
                priority=task.priority,
                strategy=task.allocation_strategy.value,
                persistent=task.persistent_allocation,
            )
            assigned = self.snapshot.resources.get(task.id, [])
            optional = self.snapshot.alternatives.get(task.id, [])
            for user_id in assigned + optional:
                if not users[user_id].is_active:
                    inactive[user_id].append(task.id)
            primary = [user_id for user_id in assigned if users[user_id].is_active]
            alternatives = [
                user_id
                for user_id in optional
                if users[user_id].is_active and user_id not in primary
            ]
            if planned.is_leaf:
                self._plan_leaf(task, planned, primary, alternatives, groups)
            else:
                self._plan_container(task, planned, groups)
            self.planned[task.id] = planned
            projects[task.project_id].append(planned)
        for user_id, task_ids in inactive.items():
            self._about_tasks(
                "warning",
                task_ids,
                f"{_braced(self.names.user(user_id))} is inactive, so {{count}} task{{s}} "
                "will not be planned for them: {tasks}.",
            )
        self._group_messages(groups)
        return [
            PlannedProject(id=project_id, tasks=tasks)
            for project_id, tasks in projects.items()
            if tasks
        ]

    def _group_messages(self, groups: dict[str, list[int]]) -> None:
        resolution = f"{self.resolution} min"
        texts = {
            "zero": (
                "info",
                "{count} task{s} with a timing of zero {are} planned as milestone{s}: {tasks}.",
            ),
            "short": (
                "warning",
                f"{{count}} task{{s}} shorter than the timing resolution ({resolution}) {{are}} "
                f"planned to take {resolution}: {{tasks}}.",
            ),
            "unassigned": (
                "warning",
                "{count} task{s} {have} hours of work but nobody to do them; each is planned "
                "as that much working time without a person (assign people to plan them "
                "properly): {tasks}.",
            ),
            "container_milestone": (
                "warning",
                "{count} container task{s} marked as milestone{s} {are} scheduled from their "
                "tasks instead (only a task without children can be a milestone): {tasks}.",
            ),
            "container_end": (
                "warning",
                "{count} container task{s} {have} a pinned end, which is ignored: a container "
                "ends with its last task; pin the end of the tasks inside instead: {tasks}.",
            ),
            "missing_start": (
                "error",
                "{count} task{s} {are} pinned to their start but {have} no start date; set one or "
                "remove the constraint: {tasks}.",
            ),
            "missing_end": (
                "error",
                "{count} task{s} {are} pinned to their end but {have} no end date; set one or "
                "remove the constraint: {tasks}.",
            ),
            "no_efficiency": (
                "error",
                "{count} task{s} {have} hours of work but every person on them has an "
                "efficiency of 0, so the work can never be done; raise an efficiency or assign "
                "someone else: {tasks}.",
            ),
            "gap": (
                "warning",
                f"{{count}} task{{s}} {{have}} a dependency gap that is not a whole number of "
                f"{resolution} steps; the gap is rounded to the nearest step (at least one): "
                "{tasks}.",
            ),
        }
        for key, (level, text) in texts.items():
            self._about_tasks(level, groups.get(key, []), text)

    def _pins(self, task: TaskRow, planned: PlannedTask, groups, *, end_allowed: bool) -> None:
        constraint = task.schedule_constraint
        if constraint in (ScheduleConstraint.START, ScheduleConstraint.BOTH):
            if task.start is None:
                groups["missing_start"].append(task.id)
            else:
                planned.start = round_to_grid(task.start, self.resolution)
        if constraint in (ScheduleConstraint.END, ScheduleConstraint.BOTH):
            if not end_allowed:
                groups["container_end"].append(task.id)
            elif task.end is None:
                groups["missing_end"].append(task.id)
            else:
                planned.end = round_to_grid(task.end, self.resolution)

    def _plan_container(self, task: TaskRow, planned: PlannedTask, groups) -> None:
        if task.is_milestone:
            groups["container_milestone"].append(task.id)
        self._pins(task, planned, groups, end_allowed=False)

    def _plan_leaf(self, task: TaskRow, planned: PlannedTask, primary, alternatives, groups):
        self._pins(task, planned, groups, end_allowed=True)
        if task.is_milestone:
            planned.milestone = True
            if planned.start is not None:
                planned.end = None
            return
        minutes = round(
            to_seconds(task.schedule_timing, task.schedule_unit, task.schedule_model, self.calendar)
            / 60
        )
        if planned.start is not None and planned.end is not None:
            # Pinned at both ends: the pinned window is the task's duration (fit.py checks it).
            if planned.end <= planned.start:
                planned.milestone, planned.end = True, None
                return
            if minutes > 0:
                planned.pinned_timing = (task.schedule_model.value, minutes)
            planned.allocations, planned.alternatives = (
                primary or alternatives[:1],
                (alternatives if primary else alternatives[1:]),
            )
            return
        if minutes <= 0:
            groups["zero"].append(task.id)
            planned.milestone = True
            planned.end = None if planned.start is not None else planned.end
            return
        if minutes < self.resolution:
            groups["short"].append(task.id)
            minutes = self.resolution
        model = task.schedule_model.value
        if not primary and alternatives:
            primary, alternatives = alternatives[:1], alternatives[1:]
        if task.schedule_model is ScheduleModel.EFFORT:
            if not primary:
                groups["unassigned"].append(task.id)
                model = ScheduleModel.LENGTH.value
            elif all(self.snapshot.users[u].efficiency <= 0 for u in primary + alternatives):
                groups["no_efficiency"].append(task.id)
        planned.timing = (model, minutes)
        planned.allocations, planned.alternatives = primary, alternatives

    # Dependencies ------------------------------------------------------------------------

    def plan_dependencies(self) -> None:
        unscheduled: list[tuple[int, int]] = []
        groups: dict[str, list[int]] = defaultdict(list)
        for dependency in self.snapshot.dependencies:
            task = self.tasks[dependency.task_id]
            awaited = self.tasks.get(dependency.depends_on_id)
            if awaited is not None:
                if awaited.id in task.ancestor_ids:
                    self.messages.append(
                        check_message(
                            "error",
                            f"{self.names.task(task.id)} waits for "
                            f"{self.names.task(awaited.id)}, which contains it; a task cannot "
                            "wait for its own container. Remove this dependency.",
                            [task.id, awaited.id],
                        )
                    )
                    continue
                path = tjp_task_id(awaited)
            elif (
                dependency.depends_on_computed_start is None
                or dependency.depends_on_computed_end is None
            ):
                unscheduled.append((task.id, dependency.depends_on_id))
                continue
            else:
                self.anchors[dependency.depends_on_id] = Anchor(
                    dependency.depends_on_id,
                    round_to_grid(dependency.depends_on_computed_start, self.resolution),
                    round_to_grid(dependency.depends_on_computed_end, self.resolution),
                )
                path = f"Studio.Outside.Task_{dependency.depends_on_id}"
            planned = PlannedDependency(path=path, target=dependency.target)
            if dependency.gap_timing > 0:
                model = (
                    ScheduleModel.DURATION
                    if dependency.gap_model is ScheduleModel.DURATION
                    else ScheduleModel.LENGTH
                )
                minutes = (
                    to_seconds(dependency.gap_timing, dependency.gap_unit, model, self.calendar)
                    / 60
                )
                steps = max(1, round(minutes / self.resolution))
                if steps * self.resolution != minutes:
                    groups["gap"].append(task.id)
                planned.gap_keyword = f"gap{model.value}"
                planned.gap_minutes = steps * self.resolution
            self.planned[task.id].depends.append(planned)
        self._group_messages(groups)
        for task_id, awaited_id in unscheduled:
            self.messages.append(
                check_message(
                    "error",
                    f"{self.names.task(task_id)} waits for {self.names.task(awaited_id)}, "
                    "whose project is not in this run and has never been scheduled; schedule "
                    "that project too (or the whole studio).",
                    [task_id, awaited_id],
                )
            )

    def check_loops(self) -> None:
        """Kahn's algorithm over start/end events; what remains is on or after a loop."""
        edges: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        for task in self.snapshot.tasks:
            edges[(0, task.id)].append((1, task.id))
            if task.parent_id is not None:
                edges[(0, task.parent_id)].append((0, task.id))
                edges[(1, task.id)].append((1, task.parent_id))
        for dependency in self.snapshot.dependencies:
            if dependency.depends_on_id in self.tasks:
                kind = 1 if dependency.target is DependencyTarget.ONEND else 0
                edges[(kind, dependency.depends_on_id)].append((0, dependency.task_id))
        incoming: dict[tuple[int, int], int] = defaultdict(int)
        predecessors: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        for node, targets in edges.items():
            for following in targets:
                incoming[following] += 1
                predecessors[following].append(node)
        remaining = {(kind, task.id) for task in self.snapshot.tasks for kind in (0, 1)}
        ready = deque(node for node in remaining if incoming[node] == 0)
        while ready:
            node = ready.popleft()
            remaining.discard(node)
            for following in edges.get(node, ()):
                incoming[following] -= 1
                if incoming[following] == 0:
                    ready.append(following)
        if remaining:
            loop = self._one_loop(remaining, predecessors)
            names = " → ".join(self.names.task(task_id) for task_id in loop)
            self.messages.append(
                check_message(
                    "error",
                    f"These tasks wait for each other in a loop: {names}. Remove one of the "
                    "dependencies between them.",
                    loop,
                )
            )

    @staticmethod
    def _one_loop(remaining: set, predecessors) -> list[int]:
        """The task ids along one cycle among ``remaining``, in the order events follow each
        other. Every remaining event still has a remaining predecessor, so walking
        predecessors from any of them stays among them and must come back to itself."""
        node = min(remaining)
        seen: dict = {}
        order = []
        while node not in seen:
            seen[node] = len(order)
            order.append(node)
            node = next(n for n in predecessors[node] if n in remaining)
        cycle = list(reversed(order[seen[node] :]))
        task_ids = [task_id for _, task_id in cycle]
        deduped = [t for i, t in enumerate(task_ids) if i == 0 or t != task_ids[i - 1]]
        if len(deduped) > 1 and deduped[0] == deduped[-1]:
            deduped.pop()
        return [*deduped, deduped[0]]

    # Time logs ---------------------------------------------------------------------------

    def plan_bookings(self) -> None:
        groups: dict[str, list[int]] = defaultdict(list)
        moved = 0
        moved_tasks: list[int] = []
        kept: list[tuple[int, int, datetime, datetime]] = []
        for log in self.snapshot.time_logs:
            planned = self.planned[log.task_id]
            if not planned.is_leaf:
                groups["container"].append(log.task_id)
                continue
            if planned.milestone:
                groups["milestone"].append(log.task_id)
                continue
            if log.start >= self.real_now:
                groups["future"].append(log.task_id)
                continue
            end = log.end
            if end > self.real_now:
                groups["cut"].append(log.task_id)
                end = self.real_now
            start = round_to_grid(log.start, self.resolution)
            rounded_end = round_to_grid(end, self.resolution)
            if (start, rounded_end) != (log.start, end):
                moved += 1
                moved_tasks.append(log.task_id)
            if rounded_end <= start:
                continue
            kept.append((log.resource_id, log.task_id, start, rounded_end))
        kept.sort(key=lambda booking: (booking[0], booking[2], booking[3]))  # by user, then time
        for previous, following in zip(kept, kept[1:], strict=False):
            if previous[0] == following[0] and following[2] < previous[3]:
                user_id = previous[0]
                self.messages.append(
                    check_message(
                        "error",
                        f"{self.names.user(user_id)} has overlapping time logs: on "
                        f"{self.names.task(previous[1])} until {fmt(previous[3])} and on "
                        f"{self.names.task(following[1])} from {fmt(following[2])} (after "
                        f"rounding to the {self.resolution} min grid). Correct one of them.",
                        [previous[1], following[1]],
                        [user_id],
                    )
                )
        for user_id, task_id, start, end in kept:
            self.planned[task_id].bookings.append((user_id, start, end))
        texts = {
            "container": "Time logs on {count} container task{s} are left out (tj3 books time "
            "only on tasks without children); move them to a task inside: {tasks}.",
            "milestone": "Time logs on {count} milestone{s} are left out (a milestone takes no "
            "time): {tasks}.",
            "future": "Time logs in the future on {count} task{s} are left out until their "
            "time comes: {tasks}.",
            "cut": "Time logs running past now on {count} task{s} are counted up to now: {tasks}.",
        }
        for key, text in texts.items():
            self._about_tasks("warning", groups.get(key, []), text)
        if moved:
            self._about_tasks(
                "warning",
                moved_tasks,
                f"{moved} time log{'s' if moved > 1 else ''} on {{count}} task{{s}} did not "
                f"fall on the {self.resolution} min grid and {'were' if moved > 1 else 'was'} "
                "rounded to the nearest step (as Stalker does): {tasks}.",
            )

    # Window, calendar and people ---------------------------------------------------------

    def window(self) -> tuple[datetime, datetime]:
        earliest = [self.now]
        pinned: list[tuple[int, datetime]] = []
        for planned in self.planned.values():
            for moment in (planned.start, planned.end):
                if moment is not None:
                    earliest.append(moment)
                    pinned.append((planned.id, moment))
            earliest.extend(start for _, start, _ in planned.bookings)
        earliest.extend(anchor.start for anchor in self.anchors.values())
        start = floor_day(min(earliest))
        end = floor_day(self.now) + timedelta(days=self.horizon_days)
        for anchor in self.anchors.values():
            end = max(end, floor_day(anchor.end) + timedelta(days=1))
        late = [task_id for task_id, moment in pinned if moment >= end]
        self._about_tasks(
            "error",
            late,
            f"{{count}} task{{s}} {{are}} pinned after the planning window, which ends "
            f"{fmt(end)} ({self.horizon_days} days after now): move the date or raise "
            "scheduling.horizon_days: {tasks}.",
        )
        return start, end

    def leaves(self, window_end: datetime) -> tuple[list[Leave], dict[int, list[Leave]]]:
        holidays: list[Leave] = []
        by_user: dict[int, list[Leave]] = defaultdict(list)
        for vacation in self.snapshot.vacations:
            start = round_to_grid(vacation.start, self.resolution)
            end = round_to_grid(vacation.end, self.resolution)
            if end <= start:
                continue
            leave = Leave(
                "holiday" if vacation.user_id is None else "annual",
                f"Vacation_{vacation.id}",
                start,
                end,
            )
            (holidays if vacation.user_id is None else by_user[vacation.user_id]).append(leave)
        busy: dict[int, list[list[datetime]]] = defaultdict(list)
        for row in self.snapshot.busy:
            start = max(round_to_grid(row.start, self.resolution), self.now)
            end = min(round_to_grid(row.end, self.resolution), window_end)
            if end <= start:
                continue
            intervals = busy[row.user_id]
            if intervals and start <= intervals[-1][1]:
                intervals[-1][1] = max(intervals[-1][1], end)
            else:
                intervals.append([start, end])
        for user_id, intervals in busy.items():
            by_user[user_id].extend(
                Leave("project", "other projects", start, end) for start, end in intervals
            )
        for user in self.snapshot.users.values():
            by_user[user.id].extend(self._outside_contract(user, window_end))
        return holidays, by_user

    def _outside_contract(self, user, window_end: datetime) -> list[Leave]:
        """Leaves from now to the contract's start and from its end to ``window_end`` (only
        the future: the past is what the time logs say)."""
        periods = []
        if user.available_from is not None:
            end = min(window_end, round_to_grid(user.available_from, self.resolution))
            periods.append((BEFORE_CONTRACT, self.now, end))
        if user.available_until is not None:
            start = max(self.now, round_to_grid(user.available_until, self.resolution))
            periods.append((AFTER_CONTRACT, start, window_end))
        return [
            Leave(CONTRACT_LEAVE, name, start, end) for name, start, end in periods if end > start
        ]


def check_studio(snapshot: StudioSnapshot, now: datetime, horizon_days: int) -> CheckedStudio:
    """Check ``snapshot`` for what tj3 would refuse and adjust it as described above."""
    checker = _Checker(snapshot, now, horizon_days)
    projects = checker.plan_tasks()
    checker.plan_dependencies()
    checker.check_loops()
    checker.plan_bookings()
    window_start, window_end = checker.window()
    holidays, leaves = checker.leaves(window_end)
    resources = [
        PlannedResource(user.id, user.efficiency, leaves.get(user.id, []))
        for user in snapshot.users.values()
    ]
    checked = CheckedStudio(
        studio_id=snapshot.studio_id,
        calendar=snapshot.calendar,
        now=checker.now,
        window_start=window_start,
        window_end=window_end,
        projects=projects,
        anchors=sorted(checker.anchors.values(), key=lambda anchor: anchor.task_id),
        holidays=holidays,
        resources=resources,
        messages=checker.messages,
        names=checker.names,
    )
    checked.messages.extend(fit_messages(checked))
    return checked
