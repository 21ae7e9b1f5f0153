"""Status and StatusList: the workflow states of each statusable entity type."""

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .meta import Base, InvalidValue
from .mixins import CodeMixin, EntityMixin

_COLOUR_LENGTH = 7


class Status(EntityMixin, CodeMixin, Base):
    """A workflow state such as "Work In Progress" (WIP); shared between status lists."""

    __tablename__ = "statuses"

    color: Mapped[str] = mapped_column(String(_COLOUR_LENGTH), default="#cccccc")

    @validates("code")
    def _validate_code(self, key: str, value: str | None) -> str:
        return CodeMixin._validate_code(self, key, value).upper()

    @validates("color")
    def _validate_color(self, key: str, value: str) -> str:
        colour = (value or "").strip().lower()
        if len(colour) != _COLOUR_LENGTH or colour[0] != "#":
            raise InvalidValue(key, "Write a colour as #rrggbb.")
        try:
            int(colour[1:], 16)
        except ValueError as error:
            raise InvalidValue(key, "Write a colour as #rrggbb.") from error
        return colour

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return other.lower() in (self.code.lower(), self.name.lower())
        return self is other

    __hash__ = object.__hash__


class StatusListStatus(Base):
    """A status's place in a status list."""

    __tablename__ = "status_list_statuses"

    status_list_id: Mapped[int] = mapped_column(
        ForeignKey("status_lists.id", ondelete="CASCADE"), primary_key=True
    )
    status_id: Mapped[int] = mapped_column(
        ForeignKey("statuses.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[Status] = relationship(lazy="joined")


class StatusList(EntityMixin, Base):
    """The ordered statuses an entity type may take; one list per target entity type."""

    __tablename__ = "status_lists"

    target_entity_type: Mapped[str] = mapped_column(String(128), unique=True)
    entries: Mapped[list[StatusListStatus]] = relationship(
        order_by=StatusListStatus.position,
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
    )

    @property
    def statuses(self) -> list[Status]:
        return [entry.status for entry in self.entries]

    def set_statuses(self, statuses: list[Status]) -> None:
        """Replace the list's statuses, keeping the given order."""
        self.entries = [StatusListStatus(status=status) for status in statuses]

    def __getitem__(self, key: int | str) -> Status | None:
        if isinstance(key, int):
            return self.statuses[key]
        return next((status for status in self.statuses if status == key), None)

    def __len__(self) -> int:
        return len(self.entries)
