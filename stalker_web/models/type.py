"""Type: a named kind of entity, per target entity type (e.g. "Character" for Asset).

Types for ``Task`` are the studio's pipeline steps (Model, Layout, Animation...); what a step
carries beyond its name, colour and order (its department, a default effort) is its
``PipelineStep`` row.
"""

import re
from typing import TYPE_CHECKING

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .meta import Base, InvalidValue
from .mixins import CodeMixin, EntityMixin

if TYPE_CHECKING:
    from .pipeline_step import PipelineStep

COLOUR_PATTERN = re.compile(r"^#[0-9a-f]{6}$")
POSITION_RANGE = (0, 10_000)
# The kinds of entity a Type may be for, in the order the Types page lists them.
TYPE_TARGETS = ("Task", "Asset", "Shot", "Sequence", "Project")


class Type(EntityMixin, CodeMixin, Base):
    """Stalker's Type; unlike Stalker, the target is enforced where a type is assigned."""

    __tablename__ = "types"
    __table_args__ = (UniqueConstraint("target_entity_type", "name"),)

    target_entity_type: Mapped[str] = mapped_column(String(128), index=True)
    # "#rrggbb" (lower case), or None for the neutral colour.
    color: Mapped[str | None] = mapped_column(String(7))
    # Lists of types are ordered by position, then name.
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    step: Mapped["PipelineStep | None"] = relationship(
        back_populates="type", cascade="all, delete-orphan", passive_deletes=True
    )

    @validates("color")
    def _validate_color(self, key: str, value: str | None) -> str | None:
        colour = (value or "").strip().lower() or None
        if colour is not None and not COLOUR_PATTERN.match(colour):
            raise InvalidValue(key, "A colour is written #rrggbb, e.g. #3a7bd5.")
        return colour

    @validates("position")
    def _validate_position(self, key: str, value) -> int:
        low, high = POSITION_RANGE
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidValue(key, f"The order is a whole number from {low} to {high}.")
        return value
