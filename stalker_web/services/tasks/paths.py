"""How a task is named wherever it appears: its project's code, then the names from the root of
its tree down to itself ("LHK / SQ01 / SQ01_SH010 / Layout"), for any number of tasks at once."""

from collections.abc import Iterable

from sqlalchemy import String, literal, select, union_all
from sqlalchemy.orm import Session

from ...models import Project, Task

PATH_SEPARATOR = " / "


def task_paths(dbsession: Session, tasks: Iterable[Task]) -> dict[int, str]:
    """Each task's full path, by task id: one query for the ancestors' names and the projects'
    codes together, none when there are no tasks."""
    tasks = list(tasks)
    if not tasks:
        return {}
    rows = dbsession.execute(
        union_all(
            select(literal("task", String), Task.id, Task.name).where(
                Task.id.in_({ancestor for task in tasks for ancestor in task.ancestor_ids})
            ),
            select(literal("project", String), Project.id, Project.code).where(
                Project.id.in_({task.project_id for task in tasks})
            ),
        )
    ).all()
    names = {ref: label for kind, ref, label in rows if kind == "task"}
    codes = {ref: label for kind, ref, label in rows if kind == "project"}
    return {
        task.id: full_path(
            codes[task.project_id], [names[a] for a in task.ancestor_ids if a in names], task.name
        )
        for task in tasks
    }


def full_path(project_code: str, ancestor_names: list[str], name: str) -> str:
    """A task's full path from its project's code, its ancestors' names (root first) and its
    own name."""
    return PATH_SEPARATOR.join([project_code, *ancestor_names, name])


def task_path(dbsession: Session, task: Task) -> str:
    """One task's full path (see ``task_paths``)."""
    return task_paths(dbsession, [task])[task.id]
