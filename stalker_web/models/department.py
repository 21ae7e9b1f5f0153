"""Department, Role and DepartmentUser: how the studio is organised."""

from sqlalchemy import Boolean, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .meta import Base
from .mixins import EntityMixin
from .user import User


class Role(EntityMixin, Base):
    """A membership label such as Lead or Supervisor, used by departments and projects.

    What a role lets its holders manage is in its flags, never in its name, so renaming a role
    cannot make its holders managers.
    """

    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("name"),)

    # Holders manage the members of their department.
    manages_department: Mapped[bool] = mapped_column(Boolean, default=False)
    # Holders edit their project and its tasks.
    manages_project: Mapped[bool] = mapped_column(Boolean, default=False)


class Department(EntityMixin, Base):
    """A team of the studio (Modeling, Animation, ...) whose members each hold a role."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("name"),)

    memberships: Mapped[list["DepartmentUser"]] = relationship(
        back_populates="department", cascade="all, delete-orphan"
    )

    @property
    def users(self) -> list[User]:
        return [membership.user for membership in self.memberships]


class DepartmentUser(Base):
    """A user's membership of a department, with an optional role."""

    __tablename__ = "department_users"

    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role_id: Mapped[int | None] = mapped_column(
        ForeignKey("roles.id", ondelete="SET NULL"), index=True
    )

    department: Mapped[Department] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship(back_populates="department_memberships")
    role: Mapped[Role | None] = relationship()
