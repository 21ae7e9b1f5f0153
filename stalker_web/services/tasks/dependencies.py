"""Task dependencies: adding them with every circular check, and removing them."""

from sqlalchemy.orm import Session

from ...models import Task, TaskDependency
from ...models.schedule import DependencyTarget, ScheduleModel, TimeUnit, parse_enum
from ..accounts.readable_projects import ReadableProjects, readable_or_own
from ..errors import ValidationError, model_rules
from ..workflow.actions import check_dependencies_may_change, dependencies_changed
from .graph import walk


def check_dependency(
    dbsession: Session, task: Task, depends_on: Task, target: DependencyTarget
) -> None:
    """Refuse a dependency Stalker refuses, saying why; the loop check walks the whole graph."""
    if depends_on.id == task.id:
        raise ValidationError("A task cannot depend on itself.", "depends_on")
    if depends_on.id == task.parent_id:
        raise ValidationError("A task cannot depend on its own parent.", "depends_on")
    if depends_on.id in task.ancestor_ids:
        raise ValidationError(
            f"A task cannot depend on a task that contains it: {depends_on.name} "
            f"contains {task.name}.",
            "depends_on",
        )
    if task.id in depends_on.ancestor_ids:
        raise ValidationError(
            f"A task cannot depend on a task inside it: {depends_on.name} is inside {task.name}.",
            "depends_on",
        )
    if dbsession.get(TaskDependency, (task.id, depends_on.id)) is not None:
        raise ValidationError(f"{task.name} already depends on {depends_on.name}.", "depends_on")
    check_dependencies_may_change(task)
    on_end = target is DependencyTarget.ONEND
    reach = walk(
        dbsession,
        starts=() if on_end else [depends_on],
        ends=[depends_on] if on_end else (),
        stop_at=task.id,
    )
    if task.id in reach.started:
        raise ValidationError(
            f"{depends_on.name} already waits for {task.name} (directly or through other "
            "tasks), so this dependency would close a loop.",
            "depends_on",
        )


def add_dependency(
    dbsession: Session,
    task: Task,
    depends_on: Task,
    *,
    dependency_target=DependencyTarget.ONEND,
    gap_timing: float = 0,
    gap_unit=TimeUnit.HOUR,
    gap_model=ScheduleModel.LENGTH,
) -> TaskDependency:
    """Make ``task`` wait for ``depends_on`` (only while it is WFD or RTS); a task that now
    waits for an unfinished task becomes WFD (the workflow re-evaluates it)."""
    dbsession.flush()
    with model_rules():
        target = parse_enum(
            DependencyTarget, dependency_target, "dependency_target", "The dependency target"
        )
        dependency = TaskDependency(
            dependency_target=target, gap_timing=gap_timing, gap_unit=gap_unit, gap_model=gap_model
        )
    check_dependency(dbsession, task, depends_on, target)
    dependency.task = task
    dependency.depends_on = depends_on
    dbsession.add(dependency)
    dbsession.flush()
    dependencies_changed(dbsession, [task])
    return dependency


def remove_dependency(
    dbsession: Session,
    task: Task,
    depends_on: Task,
    *,
    readable: ReadableProjects | None = None,
) -> None:
    """Stop ``task`` waiting for ``depends_on`` (in any status); the workflow re-evaluates it
    against the dependencies left (e.g. WFD → RTS, DREV → WIP/RTS or HREV). A refusal names
    ``depends_on`` only when its project is ``readable`` (by default: ``task``'s project)."""
    dependency = dbsession.get(TaskDependency, (task.id, depends_on.id))
    if dependency is None:
        upstream = readable_or_own(readable, task).task_name(depends_on)
        raise ValidationError(f"{task.name} does not depend on {upstream}.", "depends_on")
    dbsession.delete(dependency)
    dbsession.flush()
    dbsession.expire(task, ["task_depends_on"])
    dbsession.expire(depends_on, ["task_dependent_of"])
    dependencies_changed(dbsession, [task])
