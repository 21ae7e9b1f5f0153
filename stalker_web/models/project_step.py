"""ProjectStep: a pipeline step shown as a column of a project's production board."""

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .meta import Base, InvalidValue
from .type import Type

# The rows of a production board: a project has one ordered list of step columns for each.
STEP_TARGETS = ("Shot", "Asset")


class ProjectStep(Base):
    """The step ``type`` (a Type for ``Task``) is a column of the project's board for its shots
    or for its assets (``target``), at ``position`` from the left."""

    __tablename__ = "project_steps"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    target: Mapped[str] = mapped_column(String(16), primary_key=True)
    type_id: Mapped[int] = mapped_column(
        ForeignKey("types.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)

    type: Mapped[Type] = relationship(lazy="joined")

    @validates("target")
    def _validate_target(self, key: str, value: str) -> str:
        if value not in STEP_TARGETS:
            raise InvalidValue(key, "A board step is for shots or for assets.")
        return value

    @validates("type")
    def _validate_type(self, key: str, value: Type) -> Type:
        if value is None or value.target_entity_type != "Task":
            raise InvalidValue(key, "A board column is a pipeline step (a task type).")
        return value
