"""Review: one reviewer's answer to a task's request for review, optionally about a version."""

from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Float, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .meta import Base, InvalidValue
from .mixins import EntityMixin
from .schedule import TimeUnit, enum_column_type, parse_enum
from .task import Task
from .user import User

if TYPE_CHECKING:
    from .version import Version


class ReviewStatus(StrEnum):
    """Stalker's review statuses: waiting for an answer, approved, or revision requested."""

    NEW = "NEW"
    APPROVED = "APP"
    REVISION_REQUESTED = "RREV"


class Review(EntityMixin, Base):
    """Stalker's Review. Reviews of one task sharing a ``review_number`` form a review set.

    ``schedule_timing`` and ``schedule_unit`` hold the extra time a revision asks for. The
    workflow rules (leaf tasks only, the version belongs to the task, finalising a set) belong to
    the review services; the model checks what needs no query.
    """

    __tablename__ = "reviews"

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Not ``version_id``: that is EntityMixin's optimistic-lock column.
    reviewed_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", ondelete="SET NULL"), index=True
    )
    # The note the request came with, shared by the reviews of its set (the answer's note is a
    # Note on the review itself).
    request_note_id: Mapped[int | None] = mapped_column(
        ForeignKey("notes.id", ondelete="SET NULL", use_alter=True), index=True
    )
    review_number: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[ReviewStatus] = mapped_column(
        enum_column_type(ReviewStatus), default=ReviewStatus.NEW
    )
    schedule_timing: Mapped[float] = mapped_column(Float, default=0.0)
    schedule_unit: Mapped[TimeUnit] = mapped_column(
        enum_column_type(TimeUnit), default=TimeUnit.HOUR
    )

    task: Mapped[Task] = relationship()
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    version: Mapped["Version | None"] = relationship(foreign_keys=[reviewed_version_id])

    def __init__(self, **values) -> None:
        """The name defaults to "Review <n> of <task> by <reviewer>"."""
        task, reviewer = values.get("task"), values.get("reviewer")
        if task is None:
            raise InvalidValue("task", "A review needs a task.")
        if reviewer is None:
            raise InvalidValue("reviewer", "A review needs a reviewer.")
        values.setdefault("review_number", 1)
        values.setdefault("status", ReviewStatus.NEW)
        values.setdefault("schedule_timing", 0.0)
        values.setdefault("schedule_unit", TimeUnit.HOUR)
        if not (values.get("name") or "").strip():
            values["name"] = (
                f"Review {values['review_number']} of {task.name} by {reviewer.name}"
            )[:256]
        super().__init__(**values)

    @validates("task")
    def _validate_task(self, key: str, value: Task | None) -> Task:
        if not isinstance(value, Task):
            raise InvalidValue(key, "A review needs a task.")
        return value

    @validates("reviewer")
    def _validate_reviewer(self, key: str, value: User | None) -> User:
        if not isinstance(value, User):
            raise InvalidValue(key, "A review needs a reviewer.")
        return value

    @validates("review_number")
    def _validate_review_number(self, key: str, value) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidValue(key, "The review number is a whole number of 1 or more.")
        return value

    @validates("status")
    def _validate_status(self, key: str, value) -> ReviewStatus:
        return parse_enum(ReviewStatus, value, key, "The review status")

    @validates("schedule_timing")
    def _validate_timing(self, key: str, value) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise InvalidValue(key, "The extra time must be a number of zero or more.")
        return float(value)

    @validates("schedule_unit")
    def _validate_unit(self, key: str, value) -> TimeUnit:
        return parse_enum(TimeUnit, value, key, "The time unit")
