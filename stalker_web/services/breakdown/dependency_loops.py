"""Whether a file's dependencies make tasks wait for each other in a loop, checked for the whole
file at once in memory (``tasks/dependencies.py`` walks the graph with queries for one new
dependency at a time, too slow for thousands).

The events are TaskJuggler's, as ``tasks/graph.py`` explains: a task starts after its parent
starts and after what it depends on (the end of an "onend" dependency, the start of an
"onstart" one); it ends after it starts and after each of its children ends. The tasks wait in a
loop exactly when these "after" relations have a cycle.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Task, TaskDependency
from ...models.schedule import DependencyTarget

# A dependency: (the waiting task's id, the id of the task it waits for, whether it waits for
# that task's end).
Dependency = tuple[int, int, bool]


@dataclass
class StudioGraph:
    """Every task's parent and every dependency of the studio, as plain ids."""

    parents: dict[int, int | None]
    dependencies: set[Dependency]


def load_graph(dbsession: Session) -> StudioGraph:
    """The studio's tree and dependencies (two queries of plain columns): a loop may pass through
    other projects, which no breakdown line names."""
    parents = dict(dbsession.execute(select(Task.id, Task.parent_id)).all())
    dependencies = {
        (task_id, depends_on_id, target != DependencyTarget.ONSTART)
        for task_id, depends_on_id, target in dbsession.execute(
            select(
                TaskDependency.task_id,
                TaskDependency.depends_on_id,
                TaskDependency.dependency_target,
            )
        )
    }
    return StudioGraph(parents, dependencies)


def _start(task_id: int) -> int:
    return 2 * task_id


def _end(task_id: int) -> int:
    return 2 * task_id + 1


def has_loop(parents: Mapping[int, int | None], dependencies: Iterable[Dependency]) -> bool:
    """Whether the events of the tasks ``parents`` lists (task id → parent id) with
    ``dependencies`` have a cycle (Kahn's algorithm: what never becomes free waits in a loop)."""
    followers: dict[int, list[int]] = {}
    waiting: dict[int, int] = {}

    def after(first: int, then: int) -> None:
        followers.setdefault(first, []).append(then)
        waiting[then] = waiting.get(then, 0) + 1

    for task_id, parent_id in parents.items():
        after(_start(task_id), _end(task_id))
        if parent_id is not None:
            after(_start(parent_id), _start(task_id))
            after(_end(task_id), _end(parent_id))
    for task_id, depends_on_id, on_end in dependencies:
        after(_end(depends_on_id) if on_end else _start(depends_on_id), _start(task_id))
    free = [
        event
        for task_id in parents
        for event in (_start(task_id), _end(task_id))
        if not waiting.get(event)
    ]
    passed = 0
    while free:
        event = free.pop()
        passed += 1
        for then in followers.get(event, ()):
            waiting[then] -= 1
            if not waiting[then]:
                free.append(then)
    return passed < 2 * len(parents)


def first_loop(
    graph: StudioGraph, removed: Iterable[Dependency], added: Sequence[Dependency]
) -> int | None:
    """The index in ``added`` of the first dependency that closes a loop when they are added in
    order (after ``removed`` went), or None when none does; a binary search over ``has_loop``,
    so a few passes even for thousands of dependencies."""
    kept = graph.dependencies - set(removed)
    if not has_loop(graph.parents, kept | set(added)):
        return None
    low, high = 0, len(added)  # the first ``high`` additions loop, the first ``low`` do not
    while high - low > 1:
        middle = (low + high) // 2
        if has_loop(graph.parents, kept | set(added[:middle])):
            high = middle
        else:
            low = middle
    return high - 1
