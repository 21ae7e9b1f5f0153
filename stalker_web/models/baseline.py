"""ScheduleBaseline and BaselineTask: the computed dates of a project as a successful run left
them, kept to compare later schedules with."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .meta import Base, UTCDateTime
from .project import Project
from .user import User


class ScheduleBaseline(Base):
    """One project's schedule as one run computed it: when, by whose run, and (in
    ``BaselineTask`` rows) each task's computed start and end.

    It outlives its run (``run_id`` is cleared when the run row goes) and carries who asked for
    the run itself, so the list of baselines reads the same after runs are cleaned up.
    """

    __tablename__ = "schedule_baselines"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedule_runs.id", ondelete="SET NULL"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    recorded_at = mapped_column(UTCDateTime, nullable=False)
    # Why it was kept when not simply by a run, e.g. "Plan before promoting scenario …".
    reason: Mapped[str] = mapped_column(String(256), default="", server_default="")
    task_count: Mapped[int] = mapped_column(default=0)

    project: Mapped[Project] = relationship()
    requested_by: Mapped[User | None] = relationship()


class BaselineTask(Base):
    """A task's computed dates in one baseline."""

    __tablename__ = "schedule_baseline_tasks"

    baseline_id: Mapped[int] = mapped_column(
        ForeignKey("schedule_baselines.id", ondelete="CASCADE"), primary_key=True
    )
    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    computed_start = mapped_column(UTCDateTime, nullable=False)
    computed_end = mapped_column(UTCDateTime, nullable=False)
