"""Progress per pipeline step of a project: tasks done of all, hours logged against scheduled,
for the steps of its board columns (else for the task types its tasks use)."""

from dataclasses import dataclass

from sqlalchemy import Float, case, func, literal, select, type_coerce, union_all
from sqlalchemy.orm import Session

from ...models import Project, Status, Task, TimeLog, Type
from ...models.schedule import WorkingCalendar
from ..pipeline.steps import every_board_step
from ..tasks.columns import Effort, is_leaf, time_log_seconds, typed_null
from ..workflow.rules import CMPL


@dataclass(frozen=True)
class StepProgress:
    """One step's figures over the project's leaf tasks of that type."""

    step: Type
    done: int
    total: int
    scheduled_seconds: float
    logged_seconds: float

    @property
    def percent_done(self) -> int:
        """Tasks done of all, in percent rounded down to 5 (the bar's steps)."""
        return 0 if not self.total else int(self.done * 100 / self.total) // 5 * 5

    @property
    def percent_logged(self) -> int:
        """Hours logged of scheduled, in percent (may pass 100)."""
        if not self.scheduled_seconds:
            return 0
        return round(self.logged_seconds * 100 / self.scheduled_seconds)


@dataclass(frozen=True)
class StepsProgress:
    """The steps in board order; ``from_board`` is False when they are only the types in use."""

    steps: list[StepProgress]
    from_board: bool


def step_progress(dbsession: Session, project: Project, calendar: WorkingCalendar) -> StepsProgress:
    """Figures per step: the board's steps (one to three queries), then one statement for the
    counts, scheduled and logged time per type, whatever the project's size."""
    steps = every_board_step(dbsession, project)
    effort = Effort(calendar)
    figures: dict[int, tuple[int, int, float]] = {}
    logged: dict[int, float] = {}
    for part, type_id, unit, model, total, done, seconds in dbsession.execute(
        _sums_by_type(dbsession, project)
    ):
        if part == "logged":
            logged[type_id] = float(seconds or 0)
            continue
        count, finished, scheduled = figures.get(type_id, (0, 0, 0.0))
        figures[type_id] = (
            count + total,
            finished + (done or 0),
            scheduled + effort.seconds(unit, model, seconds),
        )
    from_board = bool(steps)
    if not from_board and figures:
        steps = list(
            dbsession.scalars(
                select(Type).where(Type.id.in_(figures)).order_by(Type.position, Type.name)
            )
        )
    rows = []
    for step in steps:
        total, done, scheduled = figures.get(step.id, (0, 0, 0.0))
        rows.append(StepProgress(step, done, total, scheduled, logged.get(step.id, 0.0)))
    return StepsProgress(rows, from_board)


def _sums_by_type(dbsession: Session, project: Project):
    """SQL: per task type of the project's leaves, their count, how many are done and their
    timings (by unit and model), united with the time logged on them (``part`` tells which)."""
    leaves = (Task.project_id == project.id, is_leaf(), Task.type_id.is_not(None))
    done_status = select(Status.id).where(Status.code == CMPL).scalar_subquery()
    counts = (
        select(
            literal("scheduled").label("part"),
            Task.type_id,
            Task.schedule_unit,
            Task.schedule_model,
            func.count(),
            func.sum(case((Task.status_id == done_status, 1), else_=0)),
            type_coerce(func.sum(Task.schedule_timing), Float),
        )
        .where(*leaves)
        .group_by(Task.type_id, Task.schedule_unit, Task.schedule_model)
    )
    logged = (
        select(
            literal("logged"),
            Task.type_id,
            typed_null(Task.schedule_unit),
            typed_null(Task.schedule_model),
            literal(0),
            literal(0),
            func.sum(time_log_seconds(dbsession)),
        )
        .join(TimeLog, TimeLog.task_id == Task.id)
        .where(*leaves)
        .group_by(Task.type_id)
    )
    return union_all(counts, logged)
