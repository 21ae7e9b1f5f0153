"""Version: one numbered iteration of a task's work, with its output files and its inputs."""

from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .meta import Base, InvalidValue
from .mixins import EntityMixin
from .task import Task

if TYPE_CHECKING:
    from .file import File

version_inputs = Table(
    "version_inputs",
    Base.metadata,
    Column("version_id", ForeignKey("versions.id", ondelete="CASCADE"), primary_key=True),
    Column("file_id", ForeignKey("files.id", ondelete="CASCADE"), primary_key=True, index=True),
)


def checked_number(key: str, value) -> int:
    """A revision or version number: a whole number of 1 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        label = "The revision number" if key == "revision_number" else "The version number"
        raise InvalidValue(key, f"{label} is a whole number of 1 or more.")
    return value


def version_name(task: Task, revision_number: int, version_number: int) -> str:
    """The generated name: "<task name> r01 v003" (Stalker's ``_r01_v003`` suffix, readable)."""
    suffix = f" r{revision_number:02d} v{version_number:03d}"
    return f"{task.name[: 256 - len(suffix)]}{suffix}"


class Version(EntityMixin, Base):
    """Stalker's Version of a task.

    The version stream is the task and its ``revision_number`` (Stalker 1.x: there is no take or
    variant name; variants are ``Variant`` tasks), and ``version_number`` counts up inside it.
    Unlike Stalker the triple is UNIQUE, so two versions created at once can never share a
    number: the ``versions`` service computes max + 1 and retries on a collision.
    ``parent`` is the version this one was made from (SET NULL when it is deleted: deleting a
    version never deletes what was derived from it). ``files`` are its outputs; ``inputs`` are
    files (of other versions) it was made with. ``created_with`` names the application.
    """

    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("task_id", "revision_number", "version_number"),)

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    revision_number: Mapped[int] = mapped_column(Integer, default=1)
    version_number: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", ondelete="SET NULL"), index=True
    )
    is_published: Mapped[bool] = mapped_column(Boolean, default=False)
    created_with: Mapped[str] = mapped_column(String(256), default="")

    task: Mapped[Task] = relationship()
    parent: Mapped["Version | None"] = relationship(
        remote_side="Version.id", back_populates="children"
    )
    children: Mapped[list["Version"]] = relationship(
        back_populates="parent", order_by="Version.id", passive_deletes=True
    )
    files: Mapped[list["File"]] = relationship(
        foreign_keys="File.owner_version_id",
        back_populates="version",
        order_by="File.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    inputs: Mapped[list["File"]] = relationship(
        secondary=version_inputs, order_by="File.id", passive_deletes=True
    )

    def __init__(
        self, *, task: Task | None = None, version_number: int | None = None, **values
    ) -> None:
        """A version needs its task and number; the name defaults to "<task> r01 v003"."""
        if task is None:
            raise InvalidValue("task", "A version needs a task.")
        values.setdefault("revision_number", 1)
        values.setdefault("is_published", False)
        values.setdefault("created_with", "")
        if version_number is None:
            raise InvalidValue("version_number", "A version needs a version number.")
        for key, value in (
            ("revision_number", values["revision_number"]),
            ("version_number", version_number),
        ):
            checked_number(key, value)
        values.setdefault("name", version_name(task, values["revision_number"], version_number))
        super().__init__(task=task, version_number=version_number, **values)

    @validates("task")
    def _validate_task(self, key: str, value: Task | None) -> Task:
        if not isinstance(value, Task):
            raise InvalidValue(key, "A version needs a task.")
        if self.task_id is not None and value.id != self.task_id:
            raise InvalidValue(key, "A version cannot move to another task.")
        return value

    @validates("revision_number", "version_number")
    def _validate_number(self, key: str, value) -> int:
        return checked_number(key, value)

    @validates("parent")
    def _validate_parent(self, key: str, value: "Version | None") -> "Version | None":
        """A parent of the same project, never the version itself or one derived from it."""
        if value is None:
            return None
        if not isinstance(value, Version):
            raise InvalidValue(key, "A version's parent is a version.")
        node = value
        while node is not None:
            if node is self:
                raise InvalidValue(key, "A version cannot be derived from itself.")
            node = node.parent
        if value.task.project_id != self.task.project_id:
            raise InvalidValue(key, "A version can only be made from a version of its project.")
        return value

    @validates("created_with")
    def _validate_created_with(self, key: str, value: str | None) -> str:
        return (value or "").strip()[:256]

    @validates("is_published")
    def _validate_flag(self, key: str, value) -> bool:
        return bool(value)

    @property
    def label(self) -> str:
        """ "r01 v003"."""
        return f"r{self.revision_number:02d} v{self.version_number:03d}"
