"""ScheduleRun: one TaskJuggler run, from the request to its result, and the studio's run lock."""

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .meta import Base, UTCDateTime
from .mixins import EntityMixin
from .schedule import enum_column_type
from .studio import Studio
from .user import User


class RunStatus(StrEnum):
    """Where a run stands: waiting for a worker, running, or finished one of three ways."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    TIMED_OUT = "timed_out"


class RunPhase(StrEnum):
    """What a running run is doing: reading the studio, waiting for tj3, writing the results."""

    QUEUED = "queued"
    READING = "reading"
    SCHEDULING = "scheduling"
    WRITING = "writing"
    DONE = "done"


ACTIVE_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)
PHASE_SECONDS = ("render", "tj3", "parse", "write")
ERROR_LEVELS = ("error", "fatal")


class ScheduleRun(EntityMixin, Base):
    """Who asked for a schedule, of what, when, and what came of it.

    ``lock_studio_id`` is the studio's "a run is active" marker: it holds the studio id while the
    run is queued or running and is NULL afterwards. It is UNIQUE, so a second active run of the
    same studio cannot be inserted on either database (NULLs never collide): taking the lock is
    the INSERT itself, releasing it is clearing the column in the run's last transaction.

    A run of a what-if scenario has ``scenario_id`` and takes ``lock_scenario_id`` instead (one
    active run per scenario, never blocking the live plan's runs); it writes the scenario's
    results, not the live computed dates.

    ``project_ids`` is the scope: None for every project, else the ids chosen. ``messages`` are
    the checks' and tj3's messages as dicts (``level``, ``line``, ``text``, ``readable``,
    ``source``, ``task_ids``, ``user_ids``, ``origin``); ``error`` sums up why a run failed.
    """

    __tablename__ = "schedule_runs"

    studio_id: Mapped[int] = mapped_column(ForeignKey("studios.id", ondelete="CASCADE"), index=True)
    lock_studio_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    scenario_id: Mapped[int | None] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    lock_scenario_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    project_ids: Mapped[list[int] | None] = mapped_column(JSON, nullable=True)
    status: Mapped[RunStatus] = mapped_column(
        enum_column_type(RunStatus), default=RunStatus.QUEUED, index=True
    )
    phase: Mapped[RunPhase] = mapped_column(enum_column_type(RunPhase), default=RunPhase.QUEUED)
    started_at = mapped_column(UTCDateTime, nullable=True)
    finished_at = mapped_column(UTCDateTime, nullable=True)
    heartbeat_at = mapped_column(UTCDateTime, nullable=True)
    schedule_now = mapped_column(UTCDateTime, nullable=True)
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    timeout_seconds: Mapped[float | None] = mapped_column(Float)
    # tj3 runs in a session of its own: its pid is also its process group's id.
    tj3_pid: Mapped[int | None] = mapped_column(Integer)
    # The worker that claimed the run, so one on the same host can tell when it is gone.
    worker_host: Mapped[str | None] = mapped_column(String(255))
    worker_pid: Mapped[int | None] = mapped_column(Integer)
    exit_code: Mapped[int | None] = mapped_column(Integer)
    messages: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    error: Mapped[str] = mapped_column(Text, default="")
    input_path: Mapped[str | None] = mapped_column(Text)
    render_seconds: Mapped[float | None] = mapped_column(Float)
    tj3_seconds: Mapped[float | None] = mapped_column(Float)
    parse_seconds: Mapped[float | None] = mapped_column(Float)
    write_seconds: Mapped[float | None] = mapped_column(Float)
    task_count: Mapped[int] = mapped_column(Integer, default=0)

    studio: Mapped[Studio] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])

    @property
    def is_active(self) -> bool:
        """Queued or running: the run holds the studio's lock."""
        return self.status in ACTIVE_STATUSES

    @property
    def is_whole_studio(self) -> bool:
        """Whether the run schedules every project (no project chosen)."""
        return self.project_ids is None

    @property
    def phase_seconds(self) -> dict[str, float | None]:
        """Seconds spent rendering, in tj3, parsing and writing (None for phases not reached)."""
        return {phase: getattr(self, f"{phase}_seconds") for phase in PHASE_SECONDS}

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [message for message in self.messages or [] if message["level"] in ERROR_LEVELS]

    @property
    def warnings(self) -> list[dict[str, Any]]:
        return [message for message in self.messages or [] if message["level"] == "warning"]
