"""Changes made to many tasks of the production board at once: all of them or none.

Each change goes through the service the task's own page uses (the edit service for people,
priority and effort, the workflow for hold, stop and resume), so the board follows the same
rules; every task that refuses is listed by its path and nothing is changed.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...models import Project, Task, User
from ...models.schedule import TimeUnit
from ..errors import ValidationError
from ..tasks.choices import chosen_people
from ..tasks.edit import update_task
from ..tasks.paths import task_paths
from ..workflow import actions

MAX_TASKS = 1000
# The workflow actions the board offers, with what a summary says was done.
WORKFLOW_ACTIONS = {
    "hold": (actions.hold, "Put {count} on hold"),
    "stop": (actions.stop, "Stopped {count}"),
    "resume": (actions.resume, "Resumed {count}"),
}


def tasks_count(count: int) -> str:
    """The number of tasks in words: "1 task", "5 tasks"."""
    return f"{count} task{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Refusal:
    """One task that refused the change, named by its path, and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class BulkRefused(ValidationError):
    """Some tasks refused a change; none of the tasks was changed."""

    def __init__(self, refusals: list[Refusal]) -> None:
        count = len(refusals)
        super().__init__(f"Nothing was changed: {tasks_count(count)} refused.", "task_ids")
        self.refusals = refusals


def chosen_tasks(dbsession: Session, project: Project, task_ids: Iterable[int]) -> list[Task]:
    """The tasks of ``project`` with these ids, by id, statuses and people loaded; refused when
    none is chosen, too many are, or one is not a task of the project (any more)."""
    wanted = sorted(set(task_ids))
    if not wanted:
        raise ValidationError("Tick the cells of the tasks to change first.", "task_ids")
    if len(wanted) > MAX_TASKS:
        raise ValidationError(f"Change at most {MAX_TASKS:,} tasks at once.", "task_ids")
    tasks = list(
        dbsession.scalars(
            select(Task)
            .where(Task.id.in_(wanted), Task.project_id == project.id)
            .order_by(Task.id)
            .options(joinedload(Task.status), selectinload(Task.resources))
        )
    )
    if len(tasks) != len(wanted):
        raise ValidationError(
            "Some of the ticked tasks are no longer in this project; reload the board.", "task_ids"
        )
    return tasks


def _each(dbsession: Session, tasks: list[Task], change: Callable[[Task], object]) -> None:
    """Apply ``change`` to every task; when any refuses, raise them all (the caller's savepoint
    undoes the tasks that did change)."""
    refused: list[tuple[Task, str]] = []
    for task in tasks:
        try:
            change(task)
        except ValidationError as error:
            refused.append((task, error.message))
    if refused:
        paths = task_paths(dbsession, [task for task, _ in refused])
        raise BulkRefused([Refusal(paths[task.id], message) for task, message in refused])


def _edit(dbsession: Session, tasks: list[Task], **changes) -> None:
    _each(
        dbsession,
        tasks,
        lambda task: update_task(
            dbsession, task, submitted_version=task.version_id, **dict(changes)
        ),
    )


def assign(dbsession: Session, project: Project, tasks: list[Task], user_ids: list[int]) -> str:
    """Make the chosen members of the project the resources of every task; the summary."""
    if not user_ids:
        raise ValidationError("Choose the people to assign.", "user_ids")
    users: list[User] = chosen_people(dbsession, project, user_ids, "user_ids")
    _edit(dbsession, tasks, resources=users)
    return f"Assigned {', '.join(user.name for user in users)} to {tasks_count(len(tasks))}."


def set_priority(dbsession: Session, tasks: list[Task], priority: int) -> str:
    """Give every task the priority (0 to 1000); the summary."""
    _edit(dbsession, tasks, priority=priority)
    return f"Set the priority of {tasks_count(len(tasks))} to {priority}."


def set_effort(dbsession: Session, tasks: list[Task], timing: float, unit: TimeUnit | str) -> str:
    """Give every task the effort ``timing`` ``unit``; the summary."""
    _edit(dbsession, tasks, schedule_timing=timing, schedule_unit=unit)
    return f"Set the effort of {tasks_count(len(tasks))} to {timing:g} {TimeUnit(unit).value}."


def apply_action(dbsession: Session, tasks: list[Task], action: str) -> str:
    """Hold, stop or resume every task, as the workflow allows each; the summary."""
    if action not in WORKFLOW_ACTIONS:
        raise ValidationError("Choose hold, stop or resume.", "action")
    run, summary = WORKFLOW_ACTIONS[action]
    _each(dbsession, tasks, lambda task: run(dbsession, task))
    return summary.format(count=tasks_count(len(tasks))) + "."


def apply_bulk(
    dbsession: Session,
    project: Project,
    action: str,
    task_ids: Iterable[int],
    *,
    user_ids: Iterable[int] = (),
    priority: int | None = None,
    timing: float | None = None,
    unit: TimeUnit | str | None = None,
) -> str:
    """Do ``action`` (assign, priority, effort, hold, stop or resume) to the tasks ``task_ids``
    of ``project``, with the values that action reads; the summary to show."""
    tasks = chosen_tasks(dbsession, project, task_ids)
    if action == "assign":
        return assign(dbsession, project, tasks, list(user_ids))
    if action == "priority":
        return set_priority(dbsession, tasks, priority)
    if action == "effort":
        return set_effort(dbsession, tasks, timing, unit)
    return apply_action(dbsession, tasks, action)
