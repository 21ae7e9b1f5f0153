"""Keeps ``Task.path`` and ``Task.depth`` (the materialised path) right on insert and re-parent."""

from sqlalchemy import String, event, func, inspect, literal, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, object_session
from sqlalchemy.orm.attributes import set_committed_value

from .task import Task

ROOT_PATH = "/"
_tasks = Task.__table__


def subtree_pattern(path: str) -> str:
    """The LIKE pattern of a subtree: paths hold only digits and "/", so nothing needs escaping."""
    return f"{path}%"


def _parent_path(connection: Connection, task: Task) -> str:
    if task.parent_id is None:
        return ROOT_PATH
    parent = task.__dict__.get("parent")
    if parent is not None and parent.id == task.parent_id and parent.path:
        return parent.path
    return connection.scalar(select(_tasks.c.path).where(_tasks.c.id == task.parent_id))


def _store(task: Task, path: str) -> None:
    set_committed_value(task, "path", path)
    set_committed_value(task, "depth", path.count("/") - 2)


@event.listens_for(Task, "after_insert", propagate=True)
def _path_after_insert(mapper: Mapper, connection: Connection, task: Task) -> None:
    """A new row's path needs its id: one UPDATE right after the INSERT."""
    path = f"{_parent_path(connection, task)}{task.id}/"
    connection.execute(
        update(_tasks).where(_tasks.c.id == task.id).values(path=path, depth=path.count("/") - 2)
    )
    _store(task, path)


@event.listens_for(Task, "after_update", propagate=True)
def _path_after_update(mapper: Mapper, connection: Connection, task: Task) -> None:
    """A new parent rewrites the paths of the whole subtree in one UPDATE."""
    state = inspect(task)
    if not (
        state.attrs.parent.history.has_changes() or state.attrs.parent_id.history.has_changes()
    ):
        return
    old_path = task.path
    new_path = f"{_parent_path(connection, task)}{task.id}/"
    if new_path == old_path:
        return
    connection.execute(
        update(_tasks)
        .where(_tasks.c.path.like(subtree_pattern(old_path)))
        .values(
            path=literal(new_path, String) + func.substr(_tasks.c.path, len(old_path) + 1),
            depth=_tasks.c.depth + (new_path.count("/") - old_path.count("/")),
        )
    )
    for loaded in list(object_session(task).identity_map.values()):
        path = loaded.__dict__.get("path") if isinstance(loaded, Task) else None
        if path and path.startswith(old_path):
            _store(loaded, new_path + path[len(old_path) :])
