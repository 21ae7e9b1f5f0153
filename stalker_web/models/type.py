"""Type: a named kind of entity, per target entity type (e.g. "Character" for Asset)."""

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .meta import Base
from .mixins import CodeMixin, EntityMixin


class Type(EntityMixin, CodeMixin, Base):
    """Stalker's Type; unlike Stalker, the target is enforced where a type is assigned."""

    __tablename__ = "types"
    __table_args__ = (UniqueConstraint("target_entity_type", "name"),)

    target_entity_type: Mapped[str] = mapped_column(String(128), index=True)
