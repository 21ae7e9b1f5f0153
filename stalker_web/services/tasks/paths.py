"""How a task is named wherever it appears: its project's code, then the names from the root of
its tree down to itself ("LHK / SQ01 / SQ01_SH010 / Layout"), for any number of tasks at once."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Project, Task
from .graph import ancestor_names

PATH_SEPARATOR = " / "


def task_paths(dbsession: Session, tasks: Iterable[Task]) -> dict[int, str]:
    """Each task's full path, by task id: one query for the ancestors' names and one for the
    projects' codes, none when there are no tasks."""
    tasks = list(tasks)
    if not tasks:
        return {}
    names = ancestor_names(dbsession, tasks)
    project_ids = {task.project_id for task in tasks}
    codes = dict(
        dbsession.execute(select(Project.id, Project.code).where(Project.id.in_(project_ids))).all()
    )
    return {
        task.id: PATH_SEPARATOR.join([codes[task.project_id], *names[task.id], task.name])
        for task in tasks
    }


def task_path(dbsession: Session, task: Task) -> str:
    """One task's full path (see ``task_paths``)."""
    return task_paths(dbsession, [task])[task.id]
