"""Progress per pipeline step of a project: tasks done of all, hours logged against scheduled,
for the steps of its board columns (else for the task types its tasks use)."""

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ...models import Project, Status, Task, TimeLog, Type
from ...models.schedule import WorkingCalendar
from ..pipeline.steps import board_steps
from ..tasks.columns import Effort, is_leaf, time_log_seconds
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


def _board(dbsession: Session, project: Project) -> list[Type]:
    steps: dict[int, Type] = {}
    for target in ("Shot", "Asset"):
        for step in board_steps(dbsession, project, target):
            steps.setdefault(step.id, step)
    return list(steps.values())


def step_progress(dbsession: Session, project: Project, calendar: WorkingCalendar) -> StepsProgress:
    """Figures per step: the board's steps (up to four queries), then one query for counts and
    scheduled time per type and one for the time logged per type, whatever the project's size."""
    steps = _board(dbsession, project)
    leaves = (Task.project_id == project.id, is_leaf(), Task.type_id.is_not(None))
    done_status = select(Status.id).where(Status.code == CMPL).scalar_subquery()
    effort = Effort(calendar)
    figures: dict[int, tuple[int, int, float]] = {}
    for type_id, unit, model, total, done, timing in dbsession.execute(
        select(
            Task.type_id,
            Task.schedule_unit,
            Task.schedule_model,
            func.count(),
            func.sum(case((Task.status_id == done_status, 1), else_=0)),
            func.sum(Task.schedule_timing),
        )
        .where(*leaves)
        .group_by(Task.type_id, Task.schedule_unit, Task.schedule_model)
    ):
        count, finished, seconds = figures.get(type_id, (0, 0, 0.0))
        figures[type_id] = (
            count + total,
            finished + (done or 0),
            seconds + effort.seconds(unit, model, timing),
        )
    logged = dict(
        dbsession.execute(
            select(Task.type_id, func.sum(time_log_seconds(dbsession)))
            .join(TimeLog, TimeLog.task_id == Task.id)
            .where(*leaves)
            .group_by(Task.type_id)
        ).all()
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
        rows.append(StepProgress(step, done, total, scheduled, float(logged.get(step.id) or 0)))
    return StepsProgress(rows, from_board)
