"""PipelineStep: what a task type means to the pipeline (its department, a default effort)."""

from sqlalchemy import Float, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .department import Department
from .meta import Base, InvalidValue
from .schedule import TimeUnit, enum_column_type, parse_enum
from .type import Type


class PipelineStep(Base):
    """The pipeline details of the step ``type`` (a Type for ``Task``): the department doing its
    work (its members and leads are offered first on new tasks of the step) and the effort a
    new task of the step starts with."""

    __tablename__ = "pipeline_steps"

    type_id: Mapped[int] = mapped_column(
        ForeignKey("types.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True
    )
    default_schedule_timing: Mapped[float | None] = mapped_column(Float)
    default_schedule_unit: Mapped[TimeUnit | None] = mapped_column(enum_column_type(TimeUnit))

    type: Mapped[Type] = relationship(back_populates="step")
    department: Mapped[Department | None] = relationship()

    @validates("type")
    def _validate_type(self, key: str, value: Type) -> Type:
        if value is None or value.target_entity_type != "Task":
            raise InvalidValue(key, "Only a task type is a pipeline step.")
        return value

    @validates("default_schedule_timing")
    def _validate_timing(self, key: str, value) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise InvalidValue(key, "The default effort must be a number of zero or more.")
        return float(value)

    @validates("default_schedule_unit")
    def _validate_unit(self, key: str, value) -> TimeUnit | None:
        return None if value is None else parse_enum(TimeUnit, value, key, "The effort unit")
