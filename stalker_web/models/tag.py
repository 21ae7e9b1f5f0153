"""Tag: a label attached to any entity."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, validates

from .meta import Base, InvalidValue
from .mixins import clean_name


class Tag(Base):
    """A free label such as "hero" or "outsourced"; names are unique."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(256), unique=True)

    @validates("name")
    def _validate_name(self, key: str, value: str | None) -> str:
        name = clean_name(value)
        if not name:
            raise InvalidValue(key, "A tag needs a name.")
        return name
