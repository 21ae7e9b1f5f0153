"""The task status workflow on the database: the only code that changes a task's status.

The tables are in ``rules.py`` and the Task status list in ``statuses.py``. This module applies
them: it re-evaluates tasks against their dependencies, walks the dependents breadth first,
derives the containers up the tree (one query per level), and offers the actions hold, stop and
resume and the hooks the dependency and tree services call. Reviews are in ``reviews.py`` and
time logs in ``time_logs.py``; both end here.

Differences from Stalker, on purpose: ``resume`` gives back the priority ``hold`` took (kept in
``generic_data``); ``stop`` without logged time keeps the estimate; resuming a stopped task
re-evaluates its dependents (it no longer counts as finished); containers are re-derived after
``hold`` too; a container whose status changes re-evaluates the tasks waiting for it; and a
container waiting for an unfinished task shows WFD rather than RTS.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session, aliased, object_session

from ...events import TaskStatusChanged, publish
from ...models import Status, Task, TaskDependency, TimeLog
from ...models.schedule import DependencyTarget, TimeUnit, unit_seconds
from ...models.task import status_changes
from ..errors import ValidationError, model_rules
from ..tasks.graph import child_counts, has_children, tasks_waiting_for
from ..tasks.progress import studio_calendar, task_progress
from . import rules
from .statuses import task_status, task_statuses

PRIORITY_BEFORE_HOLD = "priority_before_hold"
# Whole units a schedule is written in, largest first (Stalker's least meaningful unit).
_UNITS = (TimeUnit.WEEK, TimeUnit.DAY, TimeUnit.HOUR, TimeUnit.MINUTE)


# Statuses


def set_status(dbsession: Session, task: Task, code: str) -> bool:
    """Give ``task`` the status ``code`` and publish the change; True when it changed."""
    old_code = task.status.code
    if old_code == code:
        return False
    status = task_status(dbsession, code)
    with status_changes():
        task.status = status
    if task.id is None:
        dbsession.flush([task])
    publish(dbsession, TaskStatusChanged(task.id, task.project_id, old_code, code))
    return True


def refuse_unless(task: Task, action: str) -> None:
    """Refuse ``action`` on ``task`` unless its status allows it, saying which statuses do."""
    if not rules.allowed(action, task.status.code):
        raise ValidationError(why_not(task.status, action))


def why_not(status: Status, action: str) -> str:
    """The message for ``action`` refused in ``status``, in the studio's status names ("Time can
    only be logged on a task that is Ready To Start, ... or Dependency Has Revision; this one is
    Waiting For Dependency."); the names are read once per session."""
    dbsession = object_session(status)
    names = {code: row.name for code, row in task_statuses(dbsession).items()} if dbsession else {}
    allowed = [names.get(code, code) for code in rules.ALL_CODES if rules.allowed(action, code)]
    either = allowed[0] if len(allowed) == 1 else f"{', '.join(allowed[:-1])} or {allowed[-1]}"
    return f"{rules.ACTION_LABELS[action].format(statuses=either)}; this one is {status.name}."


def refuse_containers(dbsession: Session, task: Task, what: str) -> None:
    """Refuse ``what`` on a task with children: only leaves carry work."""
    if has_children(dbsession, task):
        raise ValidationError(
            f"{task.name} has child tasks; {what} on one of its children instead "
            "(a task with children only groups their work)."
        )


# Queries in batches


def dependency_codes(dbsession: Session, task_ids: Iterable[int]) -> dict[int, list[str]]:
    """The status codes of each task's dependencies (the tasks it waits for), in one query."""
    codes: dict[int, list[str]] = {task_id: [] for task_id in task_ids}
    if codes:
        upstream = aliased(Task)
        rows = dbsession.execute(
            select(TaskDependency.task_id, Status.code)
            .join(upstream, upstream.id == TaskDependency.depends_on_id)
            .join(Status, Status.id == upstream.status_id)
            .where(TaskDependency.task_id.in_(list(codes)))
        )
        for task_id, code in rows:
            codes[task_id].append(code)
    return codes


def logged_task_ids(dbsession: Session, task_ids: Iterable[int]) -> set[int]:
    """Which of ``task_ids`` have time logs."""
    task_ids = list(task_ids)
    if not task_ids:
        return set()
    return set(
        dbsession.scalars(select(TimeLog.task_id).where(TimeLog.task_id.in_(task_ids)).distinct())
    )


# Schedules


def timing_for(seconds: float, model, calendar) -> tuple[float, TimeUnit]:
    """``seconds`` as a timing in the largest unit that holds it whole (else hours)."""
    for unit in _UNITS:
        size = unit_seconds(unit, model, calendar)
        if seconds and seconds % size == 0:
            return seconds / size, unit
    return round(seconds / 3600, 4), TimeUnit.HOUR


def set_schedule_seconds(task: Task, seconds: float, calendar) -> None:
    """Write ``seconds`` into the task's schedule timing and unit (the bid is left alone)."""
    timing, unit = timing_for(max(seconds, 0.0), task.schedule_model, calendar)
    with model_rules():
        task.schedule_timing, task.schedule_unit = timing, unit


def progress_of(dbsession: Session, task: Task):
    """The task's scheduled and logged seconds now (``services/progress.py``)."""
    dbsession.flush()
    calendar = studio_calendar(dbsession)
    return task_progress(dbsession, [task], calendar, datetime.now(UTC))[task.id], calendar


# Re-evaluation


def reevaluate(dbsession: Session, tasks: Iterable[Task]) -> list[Task]:
    """Re-evaluate ``tasks`` against their dependencies (leaves: table 4.2; containers: their
    derived status with their own dependencies); returns those whose status changed."""
    tasks = [task for task in dict.fromkeys(tasks)]
    if not tasks:
        return []
    dbsession.flush()
    ids = [task.id for task in tasks]
    containers = child_counts(dbsession, ids)
    leaves = [task for task in tasks if task.id not in containers]
    codes = dependency_codes(dbsession, ids)
    logged = logged_task_ids(dbsession, [task.id for task in leaves])
    changed = []
    for task in leaves:
        result = rules.reevaluate(task.status.code, codes[task.id], task.id in logged)
        if result.code == rules.HREV and task.status.code == rules.DREV:
            progress, calendar = progress_of(dbsession, task)
            if progress.remaining_seconds <= 0:
                resolution = studio_calendar(dbsession).timing_resolution.total_seconds()
                set_schedule_seconds(task, progress.logged_seconds + resolution, calendar)
        if set_status(dbsession, task, result.code):
            changed.append(task)
    changed += _derive_containers(dbsession, [task for task in tasks if task.id in containers])
    return changed


def _child_codes(dbsession: Session, ids: list[int]) -> dict[int, set[str]]:
    """The distinct statuses of each task's children (an empty set: no children)."""
    children: dict[int, set[str]] = {task_id: set() for task_id in ids}
    if ids:
        for parent_id, code in dbsession.execute(
            select(Task.parent_id, Status.code)
            .join(Status, Status.id == Task.status_id)
            .where(Task.parent_id.in_(ids))
            .distinct()
        ):
            children[parent_id].add(code)
    return children


def _derive_containers(
    dbsession: Session, containers: list[Task], children: dict[int, set[str]] | None = None
) -> list[Task]:
    """Derive each container's status from its children (table 4.5); a container that would be
    RTS while one of its own dependencies is unfinished is WFD. Two queries for all."""
    if not containers:
        return []
    ids = [task.id for task in containers]
    children = children if children is not None else _child_codes(dbsession, ids)
    waits_for = dependency_codes(dbsession, ids)
    changed = []
    for task in containers:
        code = rules.container_code(children[task.id])
        if code == rules.RTS and not set(waits_for[task.id]) <= rules.FINISHED:
            code = rules.WFD
        if set_status(dbsession, task, code):
            changed.append(task)
    return changed


def _load(dbsession: Session, ids: list[int]) -> list[Task]:
    """The tasks ``ids``, from the session when loaded, else in one query."""
    found = [dbsession.identity_map.get(dbsession.identity_key(Task, task_id)) for task_id in ids]
    loaded = [task for task in found if task is not None and "status_id" in task.__dict__]
    missing = set(ids) - {task.id for task in loaded}
    if missing:
        loaded += dbsession.scalars(select(Task).where(Task.id.in_(missing)))
    return loaded


def refresh_containers(dbsession: Session, tasks: Iterable[Task]) -> list[Task]:
    """Re-derive the parents of ``tasks`` up to the root, deepest level first, one level per
    round (its children's statuses in one query); climbing stops where nothing changed.
    A parent left without children is a leaf again and starts over as a new task (RTS, or
    WFD while it waits). Returns the tasks whose status changed."""
    dbsession.flush()
    pending: dict[int, int] = {}  # parent id -> its depth
    for task in tasks:
        if task.parent_id is not None:
            pending[task.parent_id] = task.depth - 1
    changed_all: list[Task] = []
    while pending:
        depth = max(pending.values())
        level_ids = [task_id for task_id, level in pending.items() if level == depth]
        for task_id in level_ids:
            del pending[task_id]
        level = _load(dbsession, level_ids)
        children = _child_codes(dbsession, level_ids)
        leaves_again = [task for task in level if not children[task.id]]
        before = {task.id: task.status.code for task in leaves_again}
        for task in leaves_again:
            set_status(dbsession, task, rules.RTS)
        reevaluate(dbsession, leaves_again)
        changed = [
            task for task in leaves_again if task.status.code != before[task.id]
        ] + _derive_containers(dbsession, [task for task in level if children[task.id]], children)
        changed_all += changed
        dbsession.flush()
        for task in changed:
            if task.parent_id is not None:
                pending.setdefault(task.parent_id, task.depth - 1)
    return changed_all


def settle(
    dbsession: Session,
    changed: Iterable[Task],
    *,
    revised: Task | None = None,
) -> None:
    """Carry status changes of ``changed`` through the project: the tasks waiting for them
    are re-evaluated breadth first (and those waiting for those, as far as statuses change),
    then the containers up the tree, then the tasks waiting for containers that changed.

    ``revised``: a task whose review set was just finalised. As in Stalker (4.3 step 5), the
    walk then starts with the task itself, visits every task downstream whether or not its
    status changed, and turns the dependencies pointing at a visited task in HREV, PREV, DREV,
    OH or STOP into ``onstart`` dependencies.
    """
    frontier = list(dict.fromkeys(changed))
    walk_all = revised is not None
    if revised is not None:
        frontier = list(dict.fromkeys([*frontier, revised]))
        reevaluate(dbsession, [revised])
        _make_onstart(dbsession, [revised])
    moved: list[Task] = list(frontier)
    visited = {task.id for task in frontier}
    while frontier:
        while frontier:
            downstream = [
                task
                for task in dbsession.scalars(tasks_waiting_for([t.id for t in frontier]))
                if task.id not in visited
            ]
            visited.update(task.id for task in downstream)
            changed_now = reevaluate(dbsession, downstream)
            moved += changed_now
            if walk_all:
                _make_onstart(dbsession, downstream)
                frontier = downstream
            else:
                frontier = changed_now
        containers = refresh_containers(dbsession, moved)
        moved = []
        frontier = containers
        visited.update(task.id for task in containers)
    dbsession.flush()


def _make_onstart(dbsession: Session, tasks: Iterable[Task]) -> None:
    """Dependencies pointing at a task under revision become ``onstart`` (4.3 step 5)."""
    ids = [task.id for task in tasks if task.status.code in rules.ONSTART_AFTER_REVISION]
    if ids:
        dbsession.execute(
            update(TaskDependency)
            .where(TaskDependency.depends_on_id.in_(ids))
            .values(dependency_target=DependencyTarget.ONSTART)
            .execution_options(synchronize_session="fetch")
        )


# Actions


def hold(dbsession: Session, task: Task) -> Task:
    """Put a WIP or DREV task on hold (OH): its priority drops to 0 until it is resumed."""
    refuse_containers(dbsession, task, "put work on hold")
    refuse_unless(task, rules.HOLD)
    if task.status.code != rules.OH:
        data = dict(task.generic_data or {})
        data[PRIORITY_BEFORE_HOLD] = task.priority
        task.generic_data = data
        task.priority = 0
        set_status(dbsession, task, rules.OH)
        settle(dbsession, [task])
    return task


def stop(dbsession: Session, task: Task) -> Task:
    """Stop a WIP or DREV task (STOP, counted as finished by its dependents). Its estimate is
    clamped to the time logged, unless nothing was logged (then the estimate stays)."""
    refuse_containers(dbsession, task, "stop work")
    refuse_unless(task, rules.STOP_ACTION)
    if task.status.code == rules.STOP:
        return task
    progress, calendar = progress_of(dbsession, task)
    if progress.logged_seconds > 0:
        set_schedule_seconds(task, progress.logged_seconds, calendar)
    set_status(dbsession, task, rules.STOP)
    settle(dbsession, [task])
    return task


def resume(dbsession: Session, task: Task) -> Task:
    """Resume an OH or STOP task: WIP, then re-evaluated against its dependencies (RTS without
    time logs); the priority it had before ``hold`` comes back."""
    refuse_containers(dbsession, task, "resume work")
    refuse_unless(task, rules.RESUME)
    data = dict(task.generic_data or {})
    if PRIORITY_BEFORE_HOLD in data:
        task.priority = int(data.pop(PRIORITY_BEFORE_HOLD))
        task.generic_data = data
    set_status(dbsession, task, rules.WIP)
    reevaluate(dbsession, [task])
    settle(dbsession, [task])
    return task


# Hooks of the dependency and tree services


def check_dependencies_may_change(task: Task) -> None:
    """Dependencies are added only while the task waits or is ready (WFD, RTS)."""
    if not rules.allowed(rules.ADD_DEPENDENCY, task.status.code):
        raise ValidationError(
            f"The dependencies of {task.name} can only change while it waits for them or is "
            f"ready to start; it is {task.status.name}.",
            "depends_on",
        )


def dependencies_changed(dbsession: Session, tasks: Iterable[Task]) -> None:
    """After dependencies were added or removed (or upstream tasks deleted): re-evaluate
    ``tasks`` and carry the changes on."""
    settle(dbsession, reevaluate(dbsession, tasks))


def task_added(dbsession: Session, task: Task) -> None:
    """After a task was created or moved under a parent: re-derive the containers above it."""
    settle(dbsession, refresh_containers(dbsession, [task]))


def parent_lost_child(dbsession: Session, parent_id: int | None) -> None:
    """After a child left ``parent_id`` (moved or deleted): re-derive it and those above."""
    if parent_id is None:
        return
    parent = dbsession.get(Task, parent_id)
    if parent is None:
        return
    dbsession.flush()
    before = parent.status.code
    if has_children(dbsession, parent):
        _derive_containers(dbsession, [parent])
    else:
        set_status(dbsession, parent, rules.RTS)
        reevaluate(dbsession, [parent])
    settle(dbsession, [parent] if parent.status.code != before else [])
