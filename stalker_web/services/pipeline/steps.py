"""The pipeline steps that make the columns of a project's production board, for its shots and
for its assets: the project's own choice (ProjectStep rows) or, without one, the steps its tasks
use."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from ...models import Project, ProjectStep, Task, Type
from ...models.project_step import STEP_TARGETS
from ..errors import ValidationError

# What the settings page calls each list of columns.
COLUMN_TITLES = {"Shot": "Shot columns", "Asset": "Asset columns"}


@dataclass
class ColumnChoice:
    """A studio step on the settings page: whether it is a column of the list, and where."""

    step: Type
    chosen: bool
    order: int | None


@dataclass
class StepColumns:
    """One list of board columns (shots or assets) as the settings page shows it."""

    target: str
    title: str
    configured: bool
    choices: list[ColumnChoice]


def _steps_used(project: Project, target: str):
    """The ids of the step types of the project's tasks right under its shots (or assets)."""
    parent = aliased(Task)
    return (
        select(Task.type_id)
        .join(parent, Task.parent_id == parent.id)
        .where(
            Task.project_id == project.id,
            parent.entity_type == target,
            Task.type_id.is_not(None),
        )
        .distinct()
    )


def board_steps(dbsession: Session, project: Project, target: str) -> list[Type]:
    """The step columns of ``project``'s board for its shots or assets (``target``), left to
    right: the configured ones, else the steps its tasks under shots (assets) use, ordered by
    position then name. One query when configured, two otherwise."""
    if target not in STEP_TARGETS:
        raise ValueError(f"A board has columns for {' or '.join(STEP_TARGETS)}, not {target!r}.")
    configured = list(
        dbsession.scalars(
            select(Type)
            .join(ProjectStep, ProjectStep.type_id == Type.id)
            .where(ProjectStep.project_id == project.id, ProjectStep.target == target)
            .order_by(ProjectStep.position, Type.position, Type.name, Type.id)
        )
    )
    return configured or _used_steps(dbsession, project, target)


def _used_steps(dbsession: Session, project: Project, target: str) -> list[Type]:
    return list(
        dbsession.scalars(
            select(Type)
            .where(Type.target_entity_type == "Task", Type.id.in_(_steps_used(project, target)))
            .order_by(Type.position, Type.name, Type.id)
        )
    )


def every_board_step(dbsession: Session, project: Project) -> list[Type]:
    """The step columns of both of ``project``'s boards (``STEP_TARGETS`` in order), each step
    once: one query when both are configured, one more per board that is not."""
    configured: dict[str, list[Type]] = {target: [] for target in STEP_TARGETS}
    for target, step in dbsession.execute(
        select(ProjectStep.target, Type)
        .join(ProjectStep, ProjectStep.type_id == Type.id)
        .where(ProjectStep.project_id == project.id, ProjectStep.target.in_(STEP_TARGETS))
        .order_by(ProjectStep.position, Type.position, Type.name, Type.id)
    ):
        configured[target].append(step)
    steps: dict[int, Type] = {}
    for target, chosen in configured.items():
        for step in chosen or _used_steps(dbsession, project, target):
            steps.setdefault(step.id, step)
    return list(steps.values())


def studio_steps(dbsession: Session) -> list[Type]:
    """Every pipeline step of the studio (the task types), in their order."""
    return list(
        dbsession.scalars(
            select(Type)
            .where(Type.target_entity_type == "Task")
            .order_by(Type.position, Type.name, Type.id)
        )
    )


def step_columns(dbsession: Session, project: Project) -> list[StepColumns]:
    """For each list of columns (shots, then assets), every studio step with whether it is a
    column and its order (1, 2...), from the configured columns or else the default ones."""
    steps = studio_steps(dbsession)
    configured = set(
        dbsession.scalars(
            select(ProjectStep.target).where(ProjectStep.project_id == project.id).distinct()
        )
    )
    lists = []
    for target in STEP_TARGETS:
        columns = {
            step.id: order for order, step in enumerate(board_steps(dbsession, project, target), 1)
        }
        lists.append(
            StepColumns(
                target=target,
                title=COLUMN_TITLES[target],
                configured=target in configured,
                choices=[
                    ColumnChoice(step, step.id in columns, columns.get(step.id)) for step in steps
                ],
            )
        )
    return lists


def save_step_columns(
    dbsession: Session, project: Project, columns: dict[str, list[tuple[int, int | None]]]
) -> dict[str, list[Type]]:
    """Replace the project's board columns: for each target, the chosen ``(step id, order)``
    pairs, left to right by order (a step without one goes last), then by the studio's order.
    A target with no step chosen goes back to the default columns. Returns the columns saved."""
    steps = {step.id: step for step in studio_steps(dbsession)}
    saved: dict[str, list[Type]] = {}
    for target in STEP_TARGETS:
        chosen = dict(columns.get(target, []))
        unknown = [step_id for step_id in chosen if step_id not in steps]
        if unknown:
            raise ValidationError(
                "One of the chosen steps no longer exists; reload the page and choose again.",
                target.lower() + "_steps",
            )
        saved[target] = sorted(
            (steps[step_id] for step_id in chosen),
            key=lambda step: (
                chosen[step.id] is None,
                chosen[step.id] or 0,
                step.position,
                step.name,
            ),
        )
    project.steps = [
        ProjectStep(target=target, type=step, position=position)
        for target, chosen_steps in saved.items()
        for position, step in enumerate(chosen_steps)
    ]
    dbsession.flush()
    return saved
