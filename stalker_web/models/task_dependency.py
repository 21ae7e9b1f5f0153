"""TaskDependency: one task waits for another, on its end or its start, with an optional gap."""

from typing import TYPE_CHECKING

from sqlalchemy import Float, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .meta import Base, InvalidValue
from .schedule import (
    DependencyTarget,
    ScheduleModel,
    TimeUnit,
    WorkingCalendar,
    enum_column_type,
    parse_enum,
    to_seconds,
)

if TYPE_CHECKING:
    from .task import Task

GAP_MODELS = (ScheduleModel.LENGTH, ScheduleModel.DURATION)


class TaskDependency(Base):
    """Stalker's TaskDependency: ``task`` waits for ``depends_on``.

    The gap is working time (length) or calendar time (duration); an effort gap means nothing to
    TaskJuggler, so unlike Stalker it is refused. The circular checks need the database and live
    in ``services/task_dependencies.py``; the model only refuses a task waiting for itself.
    """

    __tablename__ = "task_dependencies"

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    depends_on_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    dependency_target: Mapped[DependencyTarget] = mapped_column(
        enum_column_type(DependencyTarget), default=DependencyTarget.ONEND
    )
    gap_timing: Mapped[float] = mapped_column(Float, default=0.0)
    gap_unit: Mapped[TimeUnit] = mapped_column(enum_column_type(TimeUnit), default=TimeUnit.HOUR)
    gap_model: Mapped[ScheduleModel] = mapped_column(
        enum_column_type(ScheduleModel), default=ScheduleModel.LENGTH
    )

    task: Mapped["Task"] = relationship(foreign_keys=[task_id], back_populates="task_depends_on")
    depends_on: Mapped["Task"] = relationship(
        foreign_keys=[depends_on_id], back_populates="task_dependent_of"
    )

    @validates("task", "depends_on")
    def _validate_ends(self, key: str, value: "Task") -> "Task":
        other = self.depends_on if key == "task" else self.task
        if value is not None and value is other:
            raise InvalidValue("depends_on", "A task cannot depend on itself.")
        return value

    @validates("dependency_target")
    def _validate_target(self, key: str, value) -> DependencyTarget:
        return parse_enum(DependencyTarget, value, key, "The dependency target")

    @validates("gap_timing")
    def _validate_gap_timing(self, key: str, value) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise InvalidValue(key, "The gap must be a number of zero or more.")
        return float(value)

    @validates("gap_unit")
    def _validate_gap_unit(self, key: str, value) -> TimeUnit:
        return parse_enum(TimeUnit, value, key, "The gap unit")

    @validates("gap_model")
    def _validate_gap_model(self, key: str, value) -> ScheduleModel:
        model = parse_enum(ScheduleModel, value, key, "The gap model")
        if model not in GAP_MODELS:
            raise InvalidValue(key, "A gap is a length (working time) or a duration (calendar).")
        return model

    def gap_seconds(self, calendar: WorkingCalendar) -> float:
        """The gap in seconds, on the studio's calendar."""
        return to_seconds(self.gap_timing, self.gap_unit, self.gap_model, calendar)

    def __repr__(self) -> str:
        return f"<TaskDependency {self.task_id} waits for {self.depends_on_id}>"
