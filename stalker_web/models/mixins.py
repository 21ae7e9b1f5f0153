"""Columns and behaviour shared by Stalker's entities: audit fields, tags, codes and ACLs."""

import re
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship, validates

from .meta import InvalidValue, UTCDateTime, utcnow

_WHITESPACE = re.compile(r"\s+")


def clean_name(value: str | None) -> str:
    """Strip a name and collapse its inner whitespace, as Stalker does."""
    return _WHITESPACE.sub(" ", (value or "").strip())


class EntityMixin:
    """Stalker's Entity: a name, a description, audit fields, free-form data and tags.

    ``version_id`` is the optimistic lock: SQLAlchemy refuses an UPDATE whose row changed since it
    was loaded, and forms carry it so an edit made on a stale page is detected.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(256))
    description: Mapped[str] = mapped_column(Text, default="")
    generic_data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    date_updated = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    @declared_attr
    def updated_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    @declared_attr
    def created_by(cls):
        # Read only: the audit listener (db.py) writes the column, and a writable self-reference
        # (a user who last updated themselves) would be a dependency cycle at flush time.
        return relationship(
            "User", foreign_keys=[cls.created_by_id], remote_side="User.id", viewonly=True
        )

    @declared_attr
    def updated_by(cls):
        return relationship(
            "User", foreign_keys=[cls.updated_by_id], remote_side="User.id", viewonly=True
        )

    @declared_attr
    def tags(cls):
        table = Table(
            f"{cls.__tablename__}_tags",
            cls.metadata,
            Column(
                "entity_id",
                ForeignKey(f"{cls.__tablename__}.id", ondelete="CASCADE"),
                primary_key=True,
            ),
            Column(
                "tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
            ),
        )
        return relationship("Tag", secondary=table, order_by="Tag.name")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version_id}

    @validates("name")
    def _validate_name(self, key: str, value: str | None) -> str:
        name = clean_name(value)
        if not name:
            raise InvalidValue(key, "A name is required.")
        return name

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id} {self.name!r}>"


class CodeMixin:
    """Stalker's CodeMixin: a short code, required and stripped."""

    code: Mapped[str] = mapped_column(String(256))

    @validates("code")
    def _validate_code(self, key: str, value: str | None) -> str:
        code = (value or "").strip()
        if not code:
            raise InvalidValue(key, "A code is required.")
        return code


class ACLMixin:
    """Stalker's ACLMixin: Allow/Deny permission rows rendered as Pyramid ACEs for ``principal``."""

    @declared_attr
    def permissions(cls):
        table = Table(
            f"{cls.__tablename__}_permissions",
            cls.metadata,
            Column(
                "entity_id",
                ForeignKey(f"{cls.__tablename__}.id", ondelete="CASCADE"),
                primary_key=True,
            ),
            Column(
                "permission_id",
                ForeignKey("permissions.id", ondelete="CASCADE"),
                primary_key=True,
                index=True,
            ),
        )
        return relationship("Permission", secondary=table)

    @property
    def principal(self) -> str:
        raise NotImplementedError

    @property
    def __acl__(self) -> list[tuple[str, str, str]]:
        """Deny entries first, so a Deny beats an Allow held by the same principal."""
        entries = [(perm.access, self.principal, perm.permission_name) for perm in self.permissions]
        return sorted(entries, key=lambda entry: entry[0] != "Deny")
