"""Critical path and float of a project (or of one of its milestones), read from the stored
schedule in a fixed number of queries whatever the size of the project.

The critical path is the chain of tasks that decides the end: from the project's latest-ending
leaf (or the chosen milestone) it follows what holds each start backwards (see ``why.py``): a
dependency leads to the awaited task, a person busy with another task to that task; it stops at
a pin, logged work, the run's now, a vacation or holiday, or a cause it cannot explain.

A task's total float is the working time its end could move later without moving the project's
end (or the milestone): a backward pass over the dependency network, in working time on the
studio calendar (weekly hours less studio holidays). Float ignores people's availability: a task
with float may still push others when its people have no room, which is why a person's busy
task can be on the chain with float left.

The network has a start and an end event per task: a leaf's end follows its start by its own
work (no slack), a container's children start after it starts and it ends after they end, and a
dependency joins the awaited task's end (or start) plus its gap to the waiting task's start. The
slack of a link is the working time between when it releases and when its successor happened;
an event's float is the least, over the links leaving it, of slack plus the successor's float.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from ...models import Project, Task, TaskDependency
from ...models.schedule import DependencyTarget
from ..accounts.readable_projects import ReadableProjects
from ..tasks.progress import format_work_time, working_seconds_outside
from .plan import Leave
from .snapshot import Calendar, working_calendar
from .why import (
    Reason,
    StartReasons,
    dependency_release,
    studio_holidays,
    why_here,
)

LEAST_FLOAT_COUNT = 10
_FOLLOWED = ("dependency", "resource")


@dataclass(frozen=True)
class ChainTask:
    """A task of the critical path: its dates, float and what holds its start (``reason``: the
    cause the chain follows back, or where it stops)."""

    task_id: int
    name: str
    path_names: list[str]
    start: datetime
    end: datetime
    float_seconds: float | None
    float_text: str
    why: StartReasons
    reason: Reason | None


@dataclass
class CriticalPath:
    """A project's critical path towards its end or a milestone, and every task's float."""

    project_id: int
    end: datetime
    milestone: tuple[int, str] | None
    chain: list[ChainTask]
    floats: dict[int, float | None]
    float_texts: dict[int, str]
    least_float: list[ChainTask]
    milestones: list[tuple[int, str]]
    why: dict[int, StartReasons]
    critical_ids: set[int] = field(default_factory=set)

    def is_critical(self, task_id: int) -> bool:
        """Whether the task is on the chain, or a container holding a task of it."""
        return task_id in self.critical_ids


@dataclass
class _Node:
    id: int
    name: str
    path: str
    parent_id: int | None
    start: datetime
    end: datetime
    is_milestone: bool


def _float_text(seconds: float | None, daily_hours: int) -> str:
    if seconds is None:
        return "does not lead to it"
    return format_work_time(seconds, daily_hours) if seconds else "none"


class _Network:
    """The event network of one project's scheduled tasks (see the module docstring)."""

    def __init__(self, nodes: dict[int, _Node], calendar: Calendar, holidays: list[Leave]):
        self.nodes = nodes
        self.calendar = calendar
        self.holidays = holidays
        self.edges: dict[tuple[str, int], list[tuple[tuple[str, int], float]]] = {}

    def slack(self, release: datetime, happened: datetime) -> float:
        """Working seconds from ``release`` to ``happened`` (0 when it happened at once)."""
        return working_seconds_outside(
            release, happened, self.calendar.working_hours, self.holidays, self.calendar.time_zone
        )

    def link(self, before: tuple[str, int], after: tuple[str, int], release: datetime) -> None:
        node = self.nodes[after[1]]
        happened = node.start if after[0] == "s" else node.end
        self.edges.setdefault(before, []).append((after, self.slack(release, happened)))

    def build(self, dependencies, children: dict[int, list[int]]) -> None:
        for node in self.nodes.values():
            self.edges.setdefault(("s", node.id), [])
            if not children.get(node.id):
                self.edges[("s", node.id)].append((("e", node.id), 0.0))
            for child_id in children.get(node.id, []):
                self.link(("s", node.id), ("s", child_id), node.start)
                self.link(("e", child_id), ("e", node.id), self.nodes[child_id].end)
        for dependency in dependencies:
            awaited = self.nodes[dependency.depends_on_id]
            onstart = dependency.dependency_target is DependencyTarget.ONSTART
            base = awaited.start if onstart else awaited.end
            release = dependency_release(self.calendar, self.holidays, dependency, base)
            self.link(("s" if onstart else "e", awaited.id), ("s", dependency.task_id), release)

    def floats(self, sink: tuple[str, int] | None, end: datetime) -> dict[tuple[str, int], float]:
        """Each event's float towards ``sink`` (an event), or towards ``end`` (the project's end:
        every end event may run until it) when no sink is given; unreachable events are left
        out."""
        found: dict[tuple[str, int], float | None] = {}
        if sink is not None:
            found[sink] = 0.0
        for event in self._backward_order():
            if event in found:
                continue
            options = [
                slack + found[after]
                for after, slack in self.edges.get(event, [])
                if found.get(after) is not None
            ]
            if sink is None and event[0] == "e":
                options.append(self.slack(self.nodes[event[1]].end, end))
            found[event] = min(options) if options else None
        return {event: value for event, value in found.items() if value is not None}

    def _backward_order(self) -> list[tuple[str, int]]:
        """Every event after all the events it leads to (an iterative depth-first walk)."""
        order: list[tuple[str, int]] = []
        seen: set[tuple[str, int]] = set()
        for root in list(self.edges):
            if root in seen:
                continue
            seen.add(root)
            stack = [(root, iter(self.edges.get(root, [])))]
            while stack:
                event, successors = stack[-1]
                for after, _ in successors:
                    if after not in seen:
                        seen.add(after)
                        stack.append((after, iter(self.edges.get(after, []))))
                        break
                else:
                    stack.pop()
                    order.append(event)
        return order


def _path_names(node: _Node, nodes: dict[int, _Node]) -> list[str]:
    ids = [int(part) for part in node.path.strip("/").split("/")[:-1]]
    return [nodes[i].name for i in ids if i in nodes]


def _latest_leaf(node_id: int, nodes, children, *, onstart: bool = False) -> int:
    """The leaf under ``node_id`` that decides its end (or, ``onstart``, its start)."""
    while children.get(node_id):
        pick = min if onstart else max
        node_id = pick(
            children[node_id],
            key=lambda i: (nodes[i].start, -i) if onstart else (nodes[i].end, -i),
        )
    return node_id


def _driving_reason(reasons: StartReasons) -> Reason | None:
    """The cause the chain follows back from a task: none past a pin or logged work; else the
    latest dependency, else the latest busy person; None to stop there."""
    kinds = reasons.kinds
    if "pin" in kinds or "logged" in kinds:
        return None
    for kind in _FOLLOWED:
        held = [reason for reason in reasons.reasons if reason.kind == kind]
        if held:
            return max(held, key=lambda reason: reason.moment)
    return None


def critical_path(
    dbsession: Session,
    project: Project,
    milestone_id: int | None = None,
    readable: ReadableProjects | None = None,
    run_now: datetime | None = None,
) -> CriticalPath | None:
    """The critical path of ``project`` towards its end, or towards its milestone
    ``milestone_id`` (LookupError when that is not a scheduled milestone of the project), with
    every scheduled task's float; None when the project was never scheduled. ``run_now``: see
    ``why_here``."""
    rows = dbsession.execute(
        select(
            Task.id,
            Task.name,
            Task.path,
            Task.parent_id,
            Task.computed_start,
            Task.computed_end,
            Task.is_milestone,
        ).where(
            Task.project_id == project.id,
            Task.computed_start.is_not(None),
            Task.computed_end.is_not(None),
        )
    ).all()
    nodes = {row.id: _Node(*row) for row in rows}
    if not nodes:
        return None
    children: dict[int, list[int]] = {}
    for node in nodes.values():
        if node.parent_id in nodes:
            children.setdefault(node.parent_id, []).append(node.id)
    leaves = [node for node in nodes.values() if not children.get(node.id)]
    milestones = sorted(
        ((node.id, node.name) for node in leaves if node.is_milestone),
        key=lambda pair: (nodes[pair[0]].start, pair[0]),
    )
    if milestone_id is not None and milestone_id not in dict(milestones):
        raise LookupError(milestone_id)
    dependencies = [
        dependency
        for dependency in dbsession.scalars(
            select(TaskDependency)
            .join(Task, Task.id == TaskDependency.task_id)
            .where(Task.project_id == project.id)
        )
        if dependency.task_id in nodes and dependency.depends_on_id in nodes
    ]
    calendar = working_calendar(dbsession)
    end = max(node.end for node in leaves)
    holidays = studio_holidays(dbsession, end)
    network = _Network(nodes, calendar, holidays)
    network.build(dependencies, children)
    sink = ("s", milestone_id) if milestone_id is not None else None
    event_floats = network.floats(sink, end)
    floats = {node_id: event_floats.get(("e", node_id)) for node_id in nodes}
    if milestone_id is not None:
        floats[milestone_id] = 0.0
    _containers_take_least_float(floats, nodes, children)
    texts = {
        node_id: _float_text(value, calendar.daily_working_hours)
        for node_id, value in floats.items()
    }
    why = why_here(dbsession, [node.id for node in leaves], readable, run_now)

    def chain_task(node_id: int, reason: Reason | None) -> ChainTask:
        node = nodes[node_id]
        return ChainTask(
            node.id,
            node.name,
            _path_names(node, nodes),
            node.start,
            node.end,
            floats[node.id],
            texts[node.id],
            why[node.id],
            reason,
        )

    target = milestone_id
    if target is None:
        target = max(leaves, key=lambda node: (node.end, -node.id)).id
    chain: list[ChainTask] = []
    visited: set[int] = set()
    current: int | None = target
    while current is not None and current not in visited and current in why:
        visited.add(current)
        reason = _driving_reason(why[current])
        chain.append(chain_task(current, reason if reason else _first(why[current])))
        current = _next_task(reason, nodes, children)
    chain.reverse()
    critical = {link.task_id for link in chain}
    critical |= {ancestor for link in chain for ancestor in _ancestor_ids(nodes[link.task_id])}
    ranked = sorted(
        (node for node in leaves if floats[node.id] is not None),
        key=lambda node: (floats[node.id], node.start, node.id),
    )
    return CriticalPath(
        project_id=project.id,
        end=nodes[milestone_id].start if milestone_id is not None else end,
        milestone=(milestone_id, nodes[milestone_id].name) if milestone_id is not None else None,
        chain=chain,
        floats=floats,
        float_texts=texts,
        least_float=[chain_task(node.id, None) for node in ranked[:LEAST_FLOAT_COUNT]],
        milestones=milestones,
        why=why,
        critical_ids=critical,
    )


def _containers_take_least_float(floats, nodes, children) -> None:
    """A container's float is at most its children's: it cannot end later without one of them."""
    for node in sorted(nodes.values(), key=lambda node: -node.path.count("/")):
        values = [floats[node.id]] + [floats[child] for child in children.get(node.id, [])]
        known = [value for value in values if value is not None]
        floats[node.id] = min(known) if known else None


def _first(reasons: StartReasons) -> Reason | None:
    return reasons.reasons[0] if reasons.reasons else None


def _ancestor_ids(node: _Node) -> list[int]:
    return [int(part) for part in node.path.strip("/").split("/")[:-1]]


def _next_task(reason: Reason | None, nodes, children) -> int | None:
    """The task the chain goes back to from ``reason`` (None: stop, or a task outside the
    project)."""
    if reason is None or not reason.task_ids or reason.task_ids[0] not in nodes:
        return None
    return _latest_leaf(reason.task_ids[0], nodes, children, onstart=reason.awaits_start)


@dataclass(frozen=True)
class TaskPlacement:
    """What the task page says about where a scheduled task sits: what holds its start, its
    float towards the project's end and whether it is on (or holds part of) the critical
    path."""

    why: StartReasons
    float_text: str
    on_critical_path: bool


def store_placements(
    dbsession: Session, project_ids: Iterable[int] | None, run_now: datetime
) -> None:
    """Keep on each task of the projects ``project_ids`` (None: every project) its float and
    whether it is on (or holds part of) its project's critical path towards the end, as the
    schedule just written by the run of ``run_now`` places it: what the task page shows
    without walking the whole project. Tasks left unscheduled get neither."""
    scope = select(Project)
    if project_ids is not None:
        scope = scope.where(Project.id.in_(list(project_ids)))
    for project in dbsession.scalars(scope.order_by(Project.id)).all():
        path = critical_path(dbsession, project, run_now=run_now)
        floats = path.floats if path is not None else {}
        placed = select(Task.id).where(
            Task.project_id == project.id,
            or_(Task.computed_float_seconds.is_not(None), Task.computed_critical.is_(True)),
        )
        # One UPDATE per task: the placed ones, and those a run placed before and this one not.
        rows = [
            {"b_id": task_id, "b_float": seconds, "b_critical": path.is_critical(task_id)}
            for task_id, seconds in floats.items()
        ] + [
            {"b_id": task_id, "b_float": None, "b_critical": False}
            for task_id in dbsession.scalars(placed)
            if task_id not in floats
        ]
        if not rows:
            continue
        dbsession.execute(
            update(Task.__table__)
            .where(Task.__table__.c.id == bindparam("b_id"))
            .values(
                computed_float_seconds=bindparam("b_float"),
                computed_critical=bindparam("b_critical"),
            ),
            rows,
        )


def task_placement(
    dbsession: Session,
    task: Task,
    readable: ReadableProjects | None = None,
    *,
    is_leaf: bool = False,
) -> TaskPlacement | None:
    """Where ``task`` sits in its project's stored schedule (None when it is not scheduled):
    what holds its start, and the float and critical-path mark the last run kept
    (``store_placements``); a fixed number of queries, one fewer when the caller knows the task
    ``is_leaf``."""
    if task.computed_start is None or task.computed_end is None:
        return None
    if is_leaf:
        why = why_here(dbsession, [], readable, leaves=[task]).get(task.id)
    else:
        why = why_here(dbsession, [task.id], readable).get(task.id)
    if why is None:
        return None
    daily_hours = working_calendar(dbsession).daily_working_hours
    float_text = _float_text(task.computed_float_seconds, daily_hours)
    return TaskPlacement(why, float_text, task.computed_critical)


def stored_float_texts(dbsession: Session, tasks: Iterable[Task]) -> dict[int, str]:
    """The float of each scheduled task of ``tasks`` as the last run kept it
    (``store_placements``), worded for a tooltip: what the charts say without walking the whole
    project (one query for the studio calendar, none when no task is scheduled)."""
    scheduled = [task for task in tasks if task.computed_start and task.computed_end]
    if not scheduled:
        return {}
    daily_hours = working_calendar(dbsession).daily_working_hours
    return {task.id: _float_text(task.computed_float_seconds, daily_hours) for task in scheduled}


def chosen_critical_path(
    dbsession: Session,
    project: Project,
    milestone_id: int | None,
    readable: ReadableProjects | None = None,
) -> tuple[CriticalPath | None, bool]:
    """The critical path towards ``milestone_id``, or towards the project's end when none is
    given or it is not a scheduled milestone of the project; and whether it was not."""
    try:
        return critical_path(dbsession, project, milestone_id, readable), False
    except LookupError:
        return critical_path(dbsession, project, None, readable), True
