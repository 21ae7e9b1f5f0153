"""What-if scenarios: a named copy-on-write change set over the studio's live plan.

A scenario never touches live rows. It holds temporary people (``ScenarioPerson``) and per-task
overrides (``ScenarioTaskChange``); scheduling it reads the live studio, lays the overrides over
that snapshot and writes tj3's dates into ``ScenarioTaskResult`` rows. Promoting it applies the
overrides to the live rows in one transaction, each checked against the task's ``version_id`` as
it was when the override was made.
"""

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .department import Department
from .meta import Base, UTCDateTime
from .mixins import EntityMixin
from .schedule import ScheduleConstraint, TimeUnit, enum_column_type
from .studio import Studio
from .task import Task
from .user import User


class ScenarioState(StrEnum):
    """Open (being explored) or promoted (its changes are now the live plan; read only)."""

    OPEN = "open"
    PROMOTED = "promoted"


class Scenario(EntityMixin, Base):
    """A producer's what-if plan of the whole studio.

    ``changed_at`` is when its people or overrides last changed; ``scheduled_at`` when results
    were last written (results are out of date when ``changed_at`` is later).
    ``results_fingerprint`` is the fingerprint of the live data the results were computed on
    (``services.scenarios``), so promoting knows whether the live plan moved since;
    ``results_now`` is the schedule's "now" of those results. Its runs are the
    ``ScheduleRun`` rows with its ``scenario_id``.
    """

    __tablename__ = "scenarios"

    studio_id: Mapped[int] = mapped_column(ForeignKey("studios.id", ondelete="CASCADE"), index=True)
    state: Mapped[ScenarioState] = mapped_column(
        enum_column_type(ScenarioState), default=ScenarioState.OPEN, index=True
    )
    changed_at = mapped_column(UTCDateTime, nullable=True)
    scheduled_at = mapped_column(UTCDateTime, nullable=True)
    results_now = mapped_column(UTCDateTime, nullable=True)
    results_fingerprint: Mapped[str | None] = mapped_column(String(64), nullable=True)
    promoted_at = mapped_column(UTCDateTime, nullable=True)
    promoted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    studio: Mapped[Studio] = relationship()
    promoted_by: Mapped[User | None] = relationship(foreign_keys=[promoted_by_id])
    people: Mapped[list["ScenarioPerson"]] = relationship(
        back_populates="scenario",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ScenarioPerson.id",
    )
    changes: Mapped[list["ScenarioTaskChange"]] = relationship(
        back_populates="scenario",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ScenarioTaskChange.id",
    )


class ScenarioPerson(Base):
    """A temporary person of a scenario (a freelancer, say): available from ``available_from``
    to ``available_until`` (None: open-ended), at ``rate`` per hour. ``user_id`` is the account
    created for them when the scenario was promoted."""

    __tablename__ = "scenario_people"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(256))
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", ondelete="SET NULL"), index=True
    )
    efficiency: Mapped[float] = mapped_column(Float, default=1.0)
    rate: Mapped[float] = mapped_column(Float, default=0.0)
    available_from = mapped_column(UTCDateTime, nullable=True)
    available_until = mapped_column(UTCDateTime, nullable=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    scenario: Mapped[Scenario] = relationship(back_populates="people")
    department: Mapped[Department | None] = relationship()


class ScenarioTaskChange(Base):
    """A scenario's overrides of one live task; None (or False) leaves that part as it is live.

    ``base_version_id`` is the task's ``version_id`` when the change was first made: promoting
    refuses when the live task changed since. ``schedule_timing``/``schedule_unit`` go together
    (the effort, length or duration); ``pins_changed`` says ``schedule_constraint``, ``start``
    and ``end`` replace the live pins (a moved milestone is a changed start); ``resource_ids``
    (user ids) and ``person_ids`` (``ScenarioPerson`` ids) replace the live resources together
    when ``resource_ids`` is not None. ``left_out`` drops the task and what is under it from the
    scenario's plan (the tasks waiting for it wait no more).
    """

    __tablename__ = "scenario_task_changes"
    __table_args__ = (UniqueConstraint("scenario_id", "task_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), index=True
    )
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    base_version_id: Mapped[int] = mapped_column(Integer)
    left_out: Mapped[bool] = mapped_column(Boolean, default=False)
    priority: Mapped[int | None] = mapped_column(Integer, nullable=True)
    schedule_timing: Mapped[float | None] = mapped_column(Float, nullable=True)
    schedule_unit: Mapped[TimeUnit | None] = mapped_column(
        enum_column_type(TimeUnit), nullable=True
    )
    pins_changed: Mapped[bool] = mapped_column(Boolean, default=False)
    schedule_constraint: Mapped[ScheduleConstraint | None] = mapped_column(
        enum_column_type(ScheduleConstraint), nullable=True
    )
    start = mapped_column(UTCDateTime, nullable=True)
    end = mapped_column(UTCDateTime, nullable=True)
    resource_ids: Mapped[list[int] | None] = mapped_column(JSON, nullable=True)
    person_ids: Mapped[list[int] | None] = mapped_column(JSON, nullable=True)

    scenario: Mapped[Scenario] = relationship(back_populates="changes")
    task: Mapped[Task] = relationship()


class ScenarioTaskResult(Base):
    """A task's computed dates and people in a scenario's latest successful schedule."""

    __tablename__ = "scenario_task_results"

    scenario_id: Mapped[int] = mapped_column(
        ForeignKey("scenarios.id", ondelete="CASCADE"), primary_key=True
    )
    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    computed_start = mapped_column(UTCDateTime, nullable=False)
    computed_end = mapped_column(UTCDateTime, nullable=False)
    resource_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    person_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
