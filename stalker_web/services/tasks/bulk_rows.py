"""Writing many new tasks at once (a breakdown import, the large studio) in a few statements.

A task's ``path`` needs its id, so inserting tasks one by one costs an INSERT and an UPDATE each
(``models/task_path.py``). Here the ids are reserved first, so each row is inserted with its
path and depth already right, and the rows go in a few statements (``bulk_insert``). The tasks are
built with their model constructors beforehand, so every validator still runs.
"""

from collections.abc import Iterable
from functools import cache

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ...models import Task, TaskDependency
from ...models.task import task_resources
from ...models.task_path import ROOT_PATH
from ..bulk_insert import insert_rows

_tasks = Task.__table__
# The foreign keys a constructor sets through relationships, which hold objects until a flush.
_RELATED = {"project": "project_id", "status": "status_id", "type": "type_id"}


def reserve_task_ids(dbsession: Session, count: int) -> list[int]:
    """``count`` new task ids nobody else will use: from the id sequence on PostgreSQL (safe
    beside other writers); after the highest id on SQLite, which has one writer at a time."""
    if count <= 0:
        return []
    if dbsession.get_bind().dialect.name == "postgresql":
        return list(
            dbsession.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence('tasks', 'id')) "
                    "FROM generate_series(1, :count)"
                ),
                {"count": count},
            )
        )
    highest = dbsession.scalar(select(func.max(_tasks.c.id))) or 0
    return list(range(highest + 1, highest + count + 1))


def child_path(parent_path: str | None, task_id: int) -> str:
    """The path of task ``task_id`` under a parent at ``parent_path`` (None: a root task)."""
    return f"{parent_path or ROOT_PATH}{task_id}/"


@cache
def _column_keys(mapper) -> tuple[tuple[str, str], ...]:
    """The (column name, attribute key) of each column of the tasks table ``mapper`` maps."""
    return tuple(
        (column.name, mapper.get_property_by_column(column).key)
        for column in _tasks.columns
        if mapper.has_property(column.key)
    )


def task_row(task: Task, *, task_id: int, parent_id: int | None, path: str, user_id=None) -> dict:
    """The column values of ``task``, built by its constructor and never added to a session,
    as the row of task ``task_id`` at ``path``."""
    mapper = type(task).__mapper__
    row = {name: task.__dict__[key] for name, key in _column_keys(mapper) if key in task.__dict__}
    for relation, column in _RELATED.items():
        related = task.__dict__.get(relation)
        row[column] = related.id if related is not None else None
    sequence = task.__dict__.get("sequence")
    if sequence is not None:
        row["sequence_id"] = sequence.id
    row.update(
        id=task_id,
        entity_type=mapper.polymorphic_identity,
        parent_id=parent_id,
        path=path,
        depth=path.count("/") - 2,
        version_id=1,
        created_by_id=user_id,
        updated_by_id=user_id,
    )
    return row


def insert_task_rows(dbsession: Session, rows: Iterable[dict]) -> None:
    """Insert ``task_row`` rows a tree level at a time (parents first)."""
    insert_rows(dbsession, _tasks, sorted(rows, key=lambda row: (row["depth"], sorted(row))))


def insert_resources(dbsession: Session, pairs: Iterable[tuple[int, int]]) -> None:
    """Give tasks their resources: (task id, user id) pairs."""
    insert_rows(
        dbsession, task_resources, [{"task_id": task, "user_id": user} for task, user in pairs]
    )


def insert_dependencies(dbsession: Session, rows: Iterable[dict]) -> None:
    """Insert dependency rows (task_id, depends_on_id and, if not the defaults, the gap's)."""
    insert_rows(dbsession, TaskDependency.__table__, list(rows))
