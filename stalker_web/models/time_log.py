"""TimeLog: a resource's booked time on a task, from a start to an end (uninterrupted time)."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import DDL, CheckConstraint, ForeignKey, Index, event, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .date_range import check_dates
from .meta import Base, InvalidValue, UTCDateTime
from .mixins import EntityMixin, clean_name
from .task import Task
from .user import User

NAME_LENGTH = 256
# PostgreSQL's guard against overlapping logs of one resource (SQLite relies on the service).
NO_OVERLAP = "ex_time_logs_resource_id_no_overlap"


def time_log_name(resource: User, task: Task, start: datetime) -> str:
    """The generated name: "<resource> on <task>, <start as YYYY-MM-DD HH:MM> UTC", cut to fit."""
    when = f", {start.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    room = NAME_LENGTH - len(when) - len(" on ")
    who = resource.name[: room // 2]
    what = task.name[: room - len(who)]
    return f"{who} on {what}{when}"


class TimeLog(EntityMixin, Base):
    """Stalker's TimeLog: ``resource`` worked on ``task`` from ``start`` to ``end``.

    Logs are wall-clock time: a log over two whole days counts 48 h. Without a ``name`` the log
    is named from its resource, task and start when created (the name is a label; it is not
    rewritten when they change later). The model only checks what needs no query: a task and a
    resource are given, and the end comes after the start (also a CHECK constraint). The rules
    that need the database (leaf tasks only, the status workflow, no overlapping logs of one
    resource, dependency dates) belong to the time-log services; on PostgreSQL an exclusion
    constraint also refuses overlapping [start, end) ranges of one resource, whatever the code
    path (btree_gist lets the GiST index compare ``resource_id`` by equality).
    """

    __tablename__ = "time_logs"
    __table_args__ = (
        CheckConstraint('"end" > start', name="end_after_start"),
        # "This resource's logs overlapping [a, b]" and "this task's logs by date"; each also
        # indexes its first column alone (the foreign keys).
        Index("ix_time_logs_resource_id_start", "resource_id", "start"),
        Index("ix_time_logs_task_id_start", "task_id", "start"),
        ExcludeConstraint(
            ("resource_id", "="),
            (text("tsrange(start, \"end\", '[)')"), "&&"),
            name=NO_OVERLAP,
            using="gist",
        ).ddl_if(dialect="postgresql"),
    )

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    resource_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    start = mapped_column(UTCDateTime, nullable=False)
    end = mapped_column(UTCDateTime, nullable=False)

    task: Mapped[Task] = relationship(back_populates="time_logs")
    resource: Mapped[User] = relationship(foreign_keys=[resource_id])

    def __init__(
        self,
        *,
        task: Task | None = None,
        resource: User | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        **values,
    ) -> None:
        """Every log needs its task, resource, start and end; the name defaults as above."""
        if task is None:
            raise InvalidValue("task", "A time log needs a task.")
        if resource is None:
            raise InvalidValue("resource", "A time log needs a resource (the user who worked).")
        check_range(start, end)
        if not clean_name(values.get("name")):
            values["name"] = time_log_name(resource, task, start)
        super().__init__(task=task, resource=resource, start=start, end=end, **values)

    @validates("task")
    def _validate_task(self, key: str, value: Task | None) -> Task | None:
        """A Task; None only as a log leaves ``Task.time_logs`` (it is then deleted)."""
        if value is not None and not isinstance(value, Task):
            raise InvalidValue(key, "A time log needs a task.")
        return value

    @validates("resource")
    def _validate_resource(self, key: str, value: User | None) -> User:
        if not isinstance(value, User):
            raise InvalidValue(key, "A time log needs a resource (the user who worked).")
        return value

    @validates("start", "end")
    def _validate_date(self, key: str, value: datetime | None) -> datetime:
        if value is None:
            raise InvalidValue(key, f"A time log needs its {key} date and time.")
        start, end = (value, self.end) if key == "start" else (self.start, value)
        if start is None or end is None:
            check_dates(start, end)
        else:
            check_range(start, end)
        return value

    def set_range(self, start: datetime, end: datetime) -> None:
        """Move the log to [start, end] at once, so a move later is never refused midway."""
        check_range(start, end)
        if self.start is None or end > self.start:
            self.end, self.start = end, start
        else:
            self.start, self.end = start, end

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @property
    def seconds(self) -> float:
        """The logged time in seconds."""
        return self.duration.total_seconds()


event.listen(
    TimeLog.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS btree_gist").execute_if(dialect="postgresql"),
)


def check_range(start: datetime | None, end: datetime | None) -> None:
    """Refuse a missing or naive date, and an end that is not after the start."""
    for key, value in (("start", start), ("end", end)):
        if value is None:
            raise InvalidValue(key, f"A time log needs its {key} date and time.")
    check_dates(start, None)
    check_dates(None, end)
    if end <= start:
        raise InvalidValue("end", "A time log must end after it starts.")
