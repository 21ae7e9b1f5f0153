"""Project: a production with its settings, ordered repositories and members."""

from sqlalchemy import Boolean, Float, ForeignKey, Integer
from sqlalchemy.ext.associationproxy import AssociationProxy, association_proxy
from sqlalchemy.ext.orderinglist import ordering_list
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .date_range import DateRangeMixin
from .department import Role
from .image_format import ImageFormat, positive_number
from .meta import Base, InvalidValue
from .mixins import CodeMixin, EntityMixin
from .project_step import ProjectStep
from .repository import Repository
from .status import Status
from .structure import Structure
from .type import Type
from .user import User


def checked_type(key: str, value: Type | None, target: str) -> Type | None:
    """``value`` unless it is a Type for another kind of entity (Stalker never checks this)."""
    if value is not None and value.target_entity_type != target:
        raise InvalidValue(
            key,
            f"The type {value.name} is for {value.target_entity_type} entities, not {target}.",
        )
    return value


class ProjectRepository(Base):
    """A repository's place in a project's ordered list of repositories."""

    __tablename__ = "project_repositories"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    repository_id: Mapped[int] = mapped_column(
        ForeignKey("repositories.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    repository: Mapped[Repository] = relationship(lazy="joined")


class ProjectUser(Base):
    """A user's membership of a project, with a project role and the rate agreed for it."""

    __tablename__ = "project_users"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role_id: Mapped[int | None] = mapped_column(
        ForeignKey("roles.id", ondelete="SET NULL"), index=True
    )
    rate: Mapped[float] = mapped_column(Float, default=0.0)

    project: Mapped["Project"] = relationship(back_populates="members")
    user: Mapped[User] = relationship(back_populates="project_memberships")
    role: Mapped[Role | None] = relationship()

    def __init__(self, user: User, role: Role | None = None, rate: float | None = None, **kw):
        """``rate`` defaults to the user's own rate at the time they join (as in Stalker)."""
        super().__init__(user=user, role=role, rate=user.rate if rate is None else rate, **kw)

    @validates("rate")
    def _validate_rate(self, key: str, value) -> float:
        if value is None or float(value) < 0:
            raise InvalidValue(key, "A rate cannot be negative.")
        return float(value)


class Project(DateRangeMixin, EntityMixin, CodeMixin, Base):
    """Stalker's Project: the root of a task tree, with its frame rate, format and file layout."""

    __tablename__ = "projects"

    status_id: Mapped[int] = mapped_column(ForeignKey("statuses.id"), index=True)
    type_id: Mapped[int | None] = mapped_column(
        ForeignKey("types.id", ondelete="SET NULL"), index=True
    )
    image_format_id: Mapped[int | None] = mapped_column(
        ForeignKey("image_formats.id", ondelete="SET NULL"), index=True
    )
    structure_id: Mapped[int | None] = mapped_column(
        ForeignKey("structures.id", ondelete="SET NULL"), index=True
    )
    fps: Mapped[float] = mapped_column(Float, default=25.0)
    is_stereoscopic: Mapped[bool] = mapped_column(Boolean, default=False)
    # The number of the project's newest ticket: the ticket services take the next one with one
    # UPDATE ... RETURNING, so tickets created at once never share a number.
    last_ticket_number: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    status: Mapped[Status] = relationship()
    type: Mapped[Type | None] = relationship()
    image_format: Mapped[ImageFormat | None] = relationship()
    structure: Mapped[Structure | None] = relationship()
    project_repositories: Mapped[list[ProjectRepository]] = relationship(
        order_by=ProjectRepository.position,
        collection_class=ordering_list("position"),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    repositories: AssociationProxy[list[Repository]] = association_proxy(
        "project_repositories",
        "repository",
        creator=lambda repository: ProjectRepository(repository=repository),
    )
    members: Mapped[list[ProjectUser]] = relationship(
        back_populates="project", cascade="all, delete-orphan", passive_deletes=True
    )
    # The board's step columns, shots' and assets' alike; services/projects/steps.py orders them.
    steps: Mapped[list[ProjectStep]] = relationship(
        order_by=(ProjectStep.target, ProjectStep.position),
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @validates("type")
    def _validate_type(self, key: str, value: Type | None) -> Type | None:
        return checked_type(key, value, "Project")

    @validates("status")
    def _validate_status(self, key: str, value: Status | None) -> Status:
        if value is None:
            raise InvalidValue(key, "A project needs a status.")
        return value

    @validates("fps")
    def _validate_fps(self, key: str, value) -> float:
        return positive_number(key, value, "The frame rate")

    @property
    def repository(self) -> Repository | None:
        """The first repository, where new files go."""
        return self.repositories[0] if self.repositories else None

    @property
    def users(self) -> list[User]:
        return [membership.user for membership in self.members]

    @property
    def is_active(self) -> bool:
        """A project is active while its status is Work In Progress."""
        return self.status is not None and self.status.code == "WIP"
