"""BreakdownImport: a large breakdown file imported by the worker, its progress and outcome."""

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .meta import Base, UTCDateTime, utcnow
from .schedule import enum_column_type


class ImportStatus(StrEnum):
    """Where an import stands: waiting for a worker, running, or finished."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class ImportStage(StrEnum):
    """What a running import is doing: checking the lines, then saving the tasks."""

    QUEUED = "queued"
    CHECKING = "checking"
    SAVING = "saving"
    DONE = "done"


ACTIVE_IMPORTS = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class BreakdownImport(Base):
    """Who imported which file into which project, how far it got and what came of it.

    ``lock_project_id`` holds the project id while the import is queued or running and is NULL
    afterwards; it is UNIQUE, so a second active import of one project cannot be inserted.
    ``errors`` are the refused lines as ``[line, message]`` pairs (nothing was imported);
    ``message`` says why an import failed otherwise. ``worker_host`` and ``worker_pid`` name the
    worker process carrying it out, so a worker of that host can end it once that process is
    gone (``services/breakdown/import_jobs.reap_orphaned_imports``).
    """

    __tablename__ = "breakdown_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    lock_project_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[ImportStatus] = mapped_column(
        enum_column_type(ImportStatus), default=ImportStatus.QUEUED
    )
    stage: Mapped[ImportStage] = mapped_column(
        enum_column_type(ImportStage), default=ImportStage.QUEUED
    )
    csv_text: Mapped[str] = mapped_column(Text)
    total_lines: Mapped[int] = mapped_column(Integer, default=0)
    checked_lines: Mapped[int] = mapped_column(Integer, default=0)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(Text, default="")
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    started_at = mapped_column(UTCDateTime, nullable=True)
    finished_at = mapped_column(UTCDateTime, nullable=True)
    worker_host: Mapped[str | None] = mapped_column(String(255))
    worker_pid: Mapped[int | None] = mapped_column(Integer)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_IMPORTS
