"""The task graph: a task's children and how many each task has, the names of its ancestors,
the tasks waiting for given ones, and what a task waits for, walked through dependencies and the
tree with batched queries.

The walk follows TaskJuggler's reading of a task tree. A task cannot start before its parent
starts, so it inherits its ancestors' dependencies; a container ends when its last child ends, so
waiting for the end of a container means waiting for every task inside it. In events:

- start(X) comes after start(parent of X) and after what X depends on (end(D) for an "onend"
  dependency, start(D) for "onstart");
- end(X) comes after start(X) and after end(child) for each child.

A new constraint "A after B" closes a loop when B already (transitively) comes after A. The walk
starts from B's event and collects every task whose start or end it reaches, a level at a time:
one query for the dependencies of the tasks reached at that level and one for the subtrees of the
containers whose end was reached, whatever the size of the level.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from ...models import Task, TaskDependency
from ...models.schedule import DependencyTarget
from ...models.task_path import subtree_pattern

BATCH = 400


def child_counts(dbsession: Session, task_ids: Iterable[int] | Select) -> dict[int, int]:
    """How many children each of ``task_ids`` (ids, or a SELECT of ids) has; tasks without any
    are left out (one grouped query, none for no ids)."""
    if not isinstance(task_ids, Select):
        task_ids = list(task_ids)
        if not task_ids:
            return {}
    return dict(
        dbsession.execute(
            select(Task.parent_id, func.count(Task.id))
            .where(Task.parent_id.in_(task_ids))
            .group_by(Task.parent_id)
        ).all()
    )


def children_of(parent: Task | None) -> ColumnElement[bool]:
    """The condition selecting ``parent``'s children (the root tasks when None)."""
    return Task.parent_id == parent.id if parent is not None else Task.parent_id.is_(None)


def has_children(dbsession: Session, task: Task) -> bool:
    """Whether ``task`` has child tasks (is a container, which only groups their work)."""
    return bool(child_counts(dbsession, [task.id]))


def ancestor_names(dbsession: Session, tasks: Iterable[Task]) -> dict[int, list[str]]:
    """The names of each task's ancestors, root first, by task id (one query for all, none when
    they are all root tasks)."""
    tasks = list(tasks)
    ids = {ancestor for task in tasks for ancestor in task.ancestor_ids}
    names: dict[int, str] = {}
    if ids:
        names = dict(dbsession.execute(select(Task.id, Task.name).where(Task.id.in_(ids))).all())
    return {task.id: [names[a] for a in task.ancestor_ids if a in names] for task in tasks}


def tasks_waiting_for(task_ids: Iterable[int] | Select) -> Select:
    """A SELECT of the tasks that depend on any of ``task_ids`` (ids or a SELECT of ids), by id."""
    waiting = select(TaskDependency.task_id).where(TaskDependency.depends_on_id.in_(task_ids))
    return select(Task).where(Task.id.in_(waiting)).order_by(Task.id)


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


def _ids_in(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/")]


def _ancestor_paths(path: str) -> list[str]:
    """The paths of the ancestors of the task at ``path`` ("/1/2/3/" → "/1/", "/1/2/")."""
    ids = path.strip("/").split("/")[:-1]
    return ["/" + "/".join(ids[: depth + 1]) + "/" for depth in range(len(ids))]


@dataclass(frozen=True)
class Move:
    """A subtree about to move: paths under ``old_path`` are read as if under ``new_path``."""

    old_path: str
    new_path: str

    def virtual(self, path: str) -> str:
        if path.startswith(self.old_path):
            return self.new_path + path[len(self.old_path) :]
        return path


@dataclass
class Reach:
    """The tasks whose start or end a walk reached (task id → path after any move)."""

    started: dict[int, str] = field(default_factory=dict)
    ended: dict[int, str] = field(default_factory=dict)


class _Walk:
    def __init__(self, dbsession: Session, move: Move | None, stop_at: int | None) -> None:
        self.dbsession = dbsession
        self.move = move
        self.stop_at = stop_at
        self.reach = Reach()

    def virtual(self, path: str) -> str:
        return self.move.virtual(path) if self.move else path

    def run(self, starts: dict[int, str], ends: dict[int, str]) -> Reach:
        """``starts``/``ends``: task id → real path of the first events reached."""
        new_starts = {task_id: self.virtual(path) for task_id, path in starts.items()}
        while new_starts or ends:
            self.reach.ended.update({task_id: self.virtual(path) for task_id, path in ends.items()})
            new_starts.update(self._subtrees(ends.values()))
            started = self._with_ancestors(new_starts)
            if self.stop_at in self.reach.started:
                break
            new_starts, ends = self._dependencies(started)
        return self.reach

    def _with_ancestors(self, starts: dict[int, str]) -> list[int]:
        """Record ``starts`` and their ancestors' starts; return the ids not seen before."""
        fresh = []
        for path in starts.values():
            ids = _ids_in(path)
            for task_id, task_path in zip(ids, [*_ancestor_paths(path), path], strict=True):
                if task_id not in self.reach.started:
                    self.reach.started[task_id] = task_path
                    fresh.append(task_id)
        return fresh

    def _dependencies(self, task_ids: list[int]) -> tuple[dict[int, str], dict[int, str]]:
        starts: dict[int, str] = {}
        ends: dict[int, str] = {}
        for batch in _batches(task_ids):
            rows = self.dbsession.execute(
                select(TaskDependency.depends_on_id, TaskDependency.dependency_target, Task.path)
                .join(Task, Task.id == TaskDependency.depends_on_id)
                .where(TaskDependency.task_id.in_(batch))
            )
            for task_id, target, path in rows:
                if target == DependencyTarget.ONSTART:
                    if task_id not in self.reach.started:
                        starts[task_id] = self.virtual(path)
                elif task_id not in self.reach.ended:
                    ends[task_id] = path
        return starts, ends

    def _subtrees(self, real_paths: Iterable[str]) -> dict[int, str]:
        """Every task inside the given tasks (themselves included), as the move leaves them."""
        wanted = set(real_paths)
        roots = [path for path in wanted if not any(p in wanted for p in _ancestor_paths(path))]
        patterns = [subtree_pattern(path) for path in roots]
        virtual_roots = {self.virtual(path) for path in roots}
        move = self.move
        if move and any(p in virtual_roots for p in _ancestor_paths(move.new_path)):
            patterns.append(subtree_pattern(move.old_path))
        found: dict[int, str] = {}
        for batch in _batches(patterns, 100):
            rows = self.dbsession.execute(
                select(Task.id, Task.path).where(or_(*(Task.path.like(p) for p in batch)))
            )
            for task_id, path in rows:
                virtual = self.virtual(path)
                if virtual in virtual_roots or any(
                    p in virtual_roots for p in _ancestor_paths(virtual)
                ):
                    found[task_id] = virtual
        return found


def walk(
    dbsession: Session,
    *,
    starts: Iterable[Task] = (),
    ends: Iterable[Task] = (),
    move: Move | None = None,
    stop_at: int | None = None,
) -> Reach:
    """Every task whose start or end the start of ``starts`` or the end of ``ends`` waits for.

    With ``move``, the tree is read as if that subtree had already moved. The walk stops early
    once the start of task ``stop_at`` is reached.
    """
    walker = _Walk(dbsession, move, stop_at)
    return walker.run(
        {task.id: task.path for task in starts}, {task.id: task.path for task in ends}
    )
