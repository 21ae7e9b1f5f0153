"""Task: a node of a project's one task tree (assets, sequences, scenes, shots are tasks too)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, false
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship, validates

from .date_range import DateRangeMixin
from .meta import Base, InvalidValue
from .mixins import EntityMixin
from .project import Project, checked_type
from .schedule import (
    AllocationStrategy,
    ScheduleConstraint,
    ScheduleModel,
    TimeUnit,
    WorkingCalendar,
    enum_column_type,
    parse_enum,
    to_seconds,
)
from .status import Status
from .task_dependency import TaskDependency
from .type import Type
from .user import User

if TYPE_CHECKING:
    from .time_log import TimeLog

PRIORITY_RANGE = (0, 1000)
# Set only by ``status_changes()``, which the workflow services enter to change a status.
_status_changes_allowed: ContextVar[bool] = ContextVar("status_changes_allowed", default=False)


@contextmanager
def status_changes() -> Iterator[None]:
    """Allow changing ``Task.status`` inside the block: only ``services/workflow.py`` (the status
    workflow) enters it; anywhere else a change of an existing task's status is refused."""
    token = _status_changes_allowed.set(True)
    try:
        yield
    finally:
        _status_changes_allowed.reset(token)


_ENUMS = {
    "schedule_unit": (TimeUnit, "The schedule unit"),
    "bid_unit": (TimeUnit, "The bid unit"),
    "schedule_model": (ScheduleModel, "The schedule model"),
    "schedule_constraint": (ScheduleConstraint, "The schedule constraint"),
    "allocation_strategy": (AllocationStrategy, "The allocation strategy"),
}

# Set in Python at creation (not only by the column defaults at INSERT) so a new task is complete.
_DEFAULTS = {
    "priority": 500,
    "schedule_timing": 1.0,
    "schedule_unit": TimeUnit.HOUR,
    "schedule_model": ScheduleModel.EFFORT,
    "schedule_constraint": ScheduleConstraint.NONE,
    "allocation_strategy": AllocationStrategy.MINALLOCATED,
    "persistent_allocation": True,
    "is_milestone": False,
    "review_number": 0,
}


def _task_users(name: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column("task_id", ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
        Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
    )


task_resources = _task_users("task_resources")
task_alternative_resources = _task_users("task_alternative_resources")
task_computed_resources = _task_users("task_computed_resources")
task_watchers = _task_users("task_watchers")
task_responsible = _task_users("task_responsible")


def _users(secondary: Table):
    return relationship(User, secondary=secondary, order_by=User.name, passive_deletes=True)


class Task(DateRangeMixin, EntityMixin, Base):
    """Stalker's Task. One ``tasks`` table holds every kind (``entity_type``); ``path`` lists the
    ids from the root down to the task ("/12/45/78/") so a subtree is one indexed prefix query.

    ``path`` and ``depth`` are kept by the mapper events of ``task_path.py`` (String(512): about
    40 levels of ids). The project is the parent's and never changes. The rules that need
    queries (circular dependencies, unique shot codes, containers without resources) are checked
    by the services ``task_tree``, ``task_dependencies`` and ``task_edit``.
    """

    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_path", "path", postgresql_ops={"path": "varchar_pattern_ops"}),
        # Late and at-risk lists filter on the ends (services/scheduling/lateness.py).
        Index("ix_tasks_project_id_computed_end", "project_id", "computed_end"),
        Index("ix_tasks_project_id_end", "project_id", "end"),
    )
    __code_required__ = False

    entity_type: Mapped[str] = mapped_column(String(32), index=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(String(512), default="")
    depth: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str | None] = mapped_column(String(256))
    type_id: Mapped[int | None] = mapped_column(
        ForeignKey("types.id", ondelete="SET NULL"), index=True
    )
    status_id: Mapped[int] = mapped_column(ForeignKey("statuses.id"), index=True)
    priority: Mapped[int] = mapped_column(Integer, default=500)
    schedule_timing: Mapped[float] = mapped_column(Float, default=1.0)
    schedule_unit: Mapped[TimeUnit] = mapped_column(
        enum_column_type(TimeUnit), default=TimeUnit.HOUR
    )
    schedule_model: Mapped[ScheduleModel] = mapped_column(
        enum_column_type(ScheduleModel), default=ScheduleModel.EFFORT
    )
    schedule_constraint: Mapped[ScheduleConstraint] = mapped_column(
        enum_column_type(ScheduleConstraint), default=ScheduleConstraint.NONE
    )
    bid_timing: Mapped[float] = mapped_column(Float, default=1.0)
    bid_unit: Mapped[TimeUnit] = mapped_column(enum_column_type(TimeUnit), default=TimeUnit.HOUR)
    allocation_strategy: Mapped[AllocationStrategy] = mapped_column(
        enum_column_type(AllocationStrategy), default=AllocationStrategy.MINALLOCATED
    )
    persistent_allocation: Mapped[bool] = mapped_column(Boolean, default=True)
    is_milestone: Mapped[bool] = mapped_column(Boolean, default=False)
    # Stalker's review counter: the number of review rounds finalised. The open round is
    # ``review_number + 1``; only ``services/workflow/reviews.py`` raises it.
    review_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Where the last run placed the task (services/scheduling/critical_path.store_placements):
    # its float towards the project's end in working seconds (None: it does not lead there, or
    # no run placed it yet) and whether it is on, or holds part of, the critical path.
    computed_float_seconds: Mapped[float | None] = mapped_column(Float)
    computed_critical: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    project: Mapped[Project] = relationship()
    parent: Mapped["Task | None"] = relationship(
        foreign_keys="Task.parent_id", remote_side="Task.id", back_populates="children"
    )
    children: Mapped[list["Task"]] = relationship(
        foreign_keys="Task.parent_id",
        back_populates="parent",
        order_by="Task.id",
        cascade="save-update, merge, delete",
        passive_deletes=True,
    )
    type: Mapped[Type | None] = relationship()
    status: Mapped[Status] = relationship()
    resources: Mapped[list[User]] = _users(task_resources)
    alternative_resources: Mapped[list[User]] = _users(task_alternative_resources)
    computed_resources: Mapped[list[User]] = _users(task_computed_resources)
    watchers: Mapped[list[User]] = _users(task_watchers)
    responsible: Mapped[list[User]] = _users(task_responsible)
    task_depends_on: Mapped[list[TaskDependency]] = relationship(
        foreign_keys=[TaskDependency.task_id],
        back_populates="task",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    task_dependent_of: Mapped[list[TaskDependency]] = relationship(
        foreign_keys=[TaskDependency.depends_on_id],
        back_populates="depends_on",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    depends_on: AssociationProxy[list["Task"]] = association_proxy(
        "task_depends_on", "depends_on", creator=lambda task: TaskDependency(depends_on=task)
    )
    dependent_of: AssociationProxy[list["Task"]] = association_proxy("task_dependent_of", "task")
    time_logs: Mapped[list["TimeLog"]] = relationship(
        back_populates="task",
        order_by="TimeLog.start",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        if cls.__name__ == "Task":
            return {
                "version_id_col": cls.version_id,
                "polymorphic_on": "entity_type",
                "polymorphic_identity": "Task",
            }
        return {"polymorphic_identity": cls.__name__}

    def __init__(self, *, project: Project | None = None, parent: "Task | None" = None, **values):
        """The project defaults to the parent's; the bid defaults to the schedule timing."""
        project = project if project is not None else getattr(parent, "project", None)
        if project is None:
            raise InvalidValue("project", "A task needs a project or a parent task.")
        if self.__code_required__ and not (values.get("code") or "").strip():
            raise InvalidValue("code", "A code is required.")
        for key, default in _DEFAULTS.items():
            values.setdefault(key, default)
        values.setdefault("bid_timing", values["schedule_timing"])
        values.setdefault("bid_unit", values["schedule_unit"])
        super().__init__(project=project, parent=parent, **values)

    @validates("project")
    def _validate_project(self, key: str, value: Project | None) -> Project:
        if value is None:
            raise InvalidValue(key, "A task needs a project.")
        current = self.__dict__.get("project")
        if (current is not None or self.project_id is not None) and value is not self.project:
            raise InvalidValue(key, "A task cannot move to another project.")
        return value

    @validates("parent")
    def _validate_parent(self, key: str, value: "Task | None") -> "Task | None":
        if value is None:
            return None
        if not isinstance(value, Task):
            raise InvalidValue(key, "A parent must be a task.")
        if value is self:
            raise InvalidValue(key, "A task cannot be its own parent.")
        if value.project is not self.project:
            raise InvalidValue(key, f"The parent task {value.name} is in another project.")
        inside = f"{value.name} is inside {self.name}, so it cannot be its parent."
        if self.path and value.path and value.path.startswith(self.path):
            raise InvalidValue(key, inside)
        node = value.__dict__.get("parent")
        while node is not None:
            if node is self:
                raise InvalidValue(key, inside)
            node = node.__dict__.get("parent")
        return value

    @validates("code")
    def _validate_code(self, key: str, value: str | None) -> str | None:
        code = (value or "").strip()
        if self.__code_required__ and not code:
            raise InvalidValue(key, "A code is required.")
        return code or None

    @validates("type")
    def _validate_type(self, key: str, value: Type | None) -> Type | None:
        return self._checked_type(key, value)

    def _checked_type(self, key: str, value: Type | None) -> Type | None:
        """A Type for this kind of task (``target_entity_type`` = "Task", "Shot", ...) or None."""
        return checked_type(key, value, type(self).__name__)

    @validates("status")
    def _validate_status(self, key: str, value: Status | None) -> Status:
        """A status is given at creation; after that only the workflow's actions change it."""
        if value is None:
            raise InvalidValue(key, "A task needs a status.")
        current = self.__dict__.get("status")
        unchanged = value is current or (current is None and value.id == self.status_id)
        has_one = current is not None or self.status_id is not None
        if has_one and not unchanged and not _status_changes_allowed.get():
            raise InvalidValue(
                key,
                "A task's status changes only through its workflow actions (log time, "
                "request a review, hold, stop, resume...), not directly.",
            )
        return value

    @validates("priority")
    def _validate_priority(self, key: str, value) -> int:
        low, high = PRIORITY_RANGE
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidValue(key, f"The priority is a whole number from {low} to {high}.")
        return value

    @validates("schedule_timing", "bid_timing")
    def _validate_timing(self, key: str, value) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            label = "The schedule timing" if key == "schedule_timing" else "The bid"
            raise InvalidValue(key, f"{label} must be a number of zero or more.")
        return float(value)

    @validates(*_ENUMS)
    def _validate_enum(self, key: str, value):
        enum_class, label = _ENUMS[key]
        return parse_enum(enum_class, value, key, label)

    @validates("persistent_allocation")
    def _validate_flag(self, key: str, value) -> bool:
        return bool(value)

    @validates("is_milestone")
    def _validate_milestone(self, key: str, value) -> bool:
        if value and self.resources:
            raise InvalidValue(key, "A milestone has no resources: remove them first.")
        return bool(value)

    @validates("resources", "alternative_resources", "computed_resources")
    def _validate_resource(self, key: str, user: User) -> User:
        if not isinstance(user, User):
            raise InvalidValue(key, "Resources are users.")
        if key == "resources" and self.is_milestone:
            raise InvalidValue(key, "A milestone has no resources.")
        return user

    @validates("watchers", "responsible")
    def _validate_user(self, key: str, user: User) -> User:
        if not isinstance(user, User):
            raise InvalidValue(key, f"{key.capitalize()} are users.")
        return user

    @property
    def ancestor_ids(self) -> list[int]:
        """The ids of the task's ancestors, root first, read from ``path`` (no query)."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1]] if self.path else []

    @property
    def is_root(self) -> bool:
        return self.parent_id is None and self.__dict__.get("parent") is None

    @property
    def is_container(self) -> bool:
        """Whether the task has children (loads them when not loaded yet)."""
        return bool(self.children)

    @property
    def is_leaf(self) -> bool:
        return not self.is_container

    def schedule_seconds(self, calendar: WorkingCalendar) -> float:
        """The schedule timing in seconds, on the studio's calendar."""
        return to_seconds(self.schedule_timing, self.schedule_unit, self.schedule_model, calendar)

    def bid_seconds(self, calendar: WorkingCalendar) -> float:
        """The initial bid in seconds, read with the task's schedule model."""
        return to_seconds(self.bid_timing, self.bid_unit, self.schedule_model, calendar)
