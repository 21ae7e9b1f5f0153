"""User and Group: the people of the studio and the groups that carry their permissions."""

import re

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..time_zones import ZONE_NAME_MAX_LENGTH, UnknownTimeZone, checked_zone_name
from .meta import Base, InvalidValue, UTCDateTime
from .mixins import ACLMixin, EntityMixin

_LOGIN_DROPPED = re.compile(r"[^a-z0-9_.]")
_LEADING_DIGITS = re.compile(r"^[0-9._]+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

group_users = Table(
    "group_users",
    Base.metadata,
    Column("group_id", ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


def normalize_login(value: str | None) -> str:
    """Lower-case, drop spaces and symbols and leading digits (" 12John Doe! " → "johndoe")."""
    login = _LOGIN_DROPPED.sub("", (value or "").strip().lower())
    return _LEADING_DIGITS.sub("", login)


class User(ACLMixin, EntityMixin, Base):
    """A person who logs in; also a TaskJuggler resource with an efficiency and a rate."""

    __tablename__ = "users"

    login: Mapped[str] = mapped_column(String(256), unique=True)
    email: Mapped[str] = mapped_column(String(256), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    efficiency: Mapped[float] = mapped_column(Float, default=1.0)
    rate: Mapped[float] = mapped_column(Float, default=0.0)
    # A contract window (a freelancer's, say): the scheduler gives no work outside it.
    available_from = mapped_column(UTCDateTime, nullable=True)
    available_until = mapped_column(UTCDateTime, nullable=True)
    last_login = mapped_column(UTCDateTime, nullable=True)
    # The IANA zone pages show this user's dates in; None: the studio's zone.
    time_zone: Mapped[str | None] = mapped_column(String(ZONE_NAME_MAX_LENGTH), nullable=True)
    # Two-factor sign-in (TOTP): the base32 secret once enrolment starts; on once confirmed.
    # ``totp_last_counter`` is the time step of the last accepted code, so a code works once.
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_counter: Mapped[int | None] = mapped_column(Integer, nullable=True)

    groups: Mapped[list["Group"]] = relationship(
        secondary=group_users, back_populates="users", order_by="Group.name"
    )
    department_memberships: Mapped[list["DepartmentUser"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )
    project_memberships: Mapped[list["ProjectUser"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def principal(self) -> str:
        return f"user:{self.id}"

    @property
    def departments(self) -> list["Department"]:  # noqa: F821
        return [membership.department for membership in self.department_memberships]

    @validates("login")
    def _validate_login(self, key: str, value: str | None) -> str:
        login = normalize_login(value)
        if not login:
            raise InvalidValue(key, "A login needs at least one letter (a-z).")
        return login

    @validates("email")
    def _validate_email(self, key: str, value: str | None) -> str:
        email = (value or "").strip().lower()
        if not _EMAIL.match(email):
            raise InvalidValue(key, "An e-mail address looks like name@example.com.")
        return email

    @validates("time_zone")
    def _validate_time_zone(self, key: str, value: str | None) -> str | None:
        if value is None or not str(value).strip():
            return None
        try:
            return checked_zone_name(value)
        except UnknownTimeZone as error:
            raise InvalidValue(key, str(error)) from error

    @validates("efficiency", "rate")
    def _validate_non_negative(self, key: str, value: float | None) -> float:
        number = float(value if value is not None else (1.0 if key == "efficiency" else 0.0))
        if number < 0:
            raise InvalidValue(key, f"{key.capitalize()} cannot be negative.")
        return number


class Group(ACLMixin, EntityMixin, Base):
    """A set of users sharing permissions; the admin group is granted everything."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("name"),)

    users: Mapped[list[User]] = relationship(
        secondary=group_users, back_populates="groups", order_by=User.name
    )

    @property
    def principal(self) -> str:
        return f"group:{self.id}"
