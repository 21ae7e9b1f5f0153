"""Ticket: a numbered issue of a project following the studio's ticket workflow, with its log.

Stalker's Ticket, numbered per project (Stalker's number was global although documented per
project): ``number`` comes from the project's counter (``Project.last_ticket_number``), so two
tickets created at once never share one, and (project, number) is UNIQUE besides. The workflow
(accept, resolve, reassign, reopen) is data of the studio configuration and lives in the ticket
services; every change is kept as a ``TicketLog`` row.
"""

from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .file import File
from .meta import Base, UTCDateTime, utcnow
from .mixins import EntityMixin
from .project import Project
from .schedule import enum_column_type
from .status import Status
from .task import Task
from .type import Type
from .user import User
from .version import Version

SUMMARY_LENGTH = 256
RESOLUTION_LENGTH = 32


class TicketPriority(StrEnum):
    """Stalker's ticket priorities, least urgent first."""

    TRIVIAL = "TRIVIAL"
    MINOR = "MINOR"
    MAJOR = "MAJOR"
    CRITICAL = "CRITICAL"
    BLOCKER = "BLOCKER"


# Related tickets: one row per pair, stored both ways by the ticket services.
ticket_relations = Table(
    "ticket_relations",
    Base.metadata,
    Column("ticket_id", ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "related_ticket_id",
        ForeignKey("tickets.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
    CheckConstraint("ticket_id <> related_ticket_id", name="not_itself"),
)


class Ticket(EntityMixin, Base):
    """Stalker's Ticket: ``name`` is "<label> #<number>", ``description`` its Markdown text."""

    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        Index("ix_tickets_project_id_status_id", "project_id", "status_id"),
    )

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(SUMMARY_LENGTH))
    type_id: Mapped[int | None] = mapped_column(
        ForeignKey("types.id", ondelete="SET NULL"), index=True
    )
    priority: Mapped[TicketPriority] = mapped_column(
        enum_column_type(TicketPriority), default=TicketPriority.TRIVIAL, index=True
    )
    status_id: Mapped[int] = mapped_column(ForeignKey("statuses.id"), index=True)
    resolution: Mapped[str] = mapped_column(String(RESOLUTION_LENGTH), default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    project: Mapped[Project] = relationship()
    type: Mapped[Type | None] = relationship()
    status: Mapped[Status] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
    related_tickets: Mapped[list["Ticket"]] = relationship(
        secondary=ticket_relations,
        primaryjoin="Ticket.id == ticket_relations.c.ticket_id",
        secondaryjoin="Ticket.id == ticket_relations.c.related_ticket_id",
        order_by="Ticket.number",
    )
    links: Mapped[list["TicketLink"]] = relationship(
        back_populates="ticket", cascade="all, delete-orphan", passive_deletes=True
    )


class TicketLink(Base):
    """A ticket's link to one entity: a task (asset, shot, sequence...), a version or a file."""

    __tablename__ = "ticket_links"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN task_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN linked_version_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN file_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), index=True
    )
    # Not ``version_id``: that name is the optimistic-lock column of entities.
    linked_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[int | None] = mapped_column(
        ForeignKey("files.id", ondelete="CASCADE"), index=True
    )

    ticket: Mapped[Ticket] = relationship(back_populates="links")
    task: Mapped[Task | None] = relationship()
    version: Mapped[Version | None] = relationship(foreign_keys=[linked_version_id])
    file: Mapped[File | None] = relationship()


class TicketLog(Base):
    """One change of a ticket: a workflow ``action`` (with the statuses it moved between) or an
    edit, with ``changes`` as {field: [old, new]} in plain values."""

    __tablename__ = "ticket_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(32))
    from_status_id: Mapped[int | None] = mapped_column(ForeignKey("statuses.id"), index=True)
    to_status_id: Mapped[int | None] = mapped_column(ForeignKey("statuses.id"), index=True)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    ticket: Mapped[Ticket] = relationship()
    actor: Mapped[User | None] = relationship()
    from_status: Mapped[Status | None] = relationship(foreign_keys=[from_status_id])
    to_status: Mapped[Status | None] = relationship(foreign_keys=[to_status_id])
