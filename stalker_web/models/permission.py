"""Permission: Allow or Deny one action on one class of entity."""

from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .meta import Base

ACCESSES = ("Allow", "Deny")
ACTIONS = ("Create", "Read", "Update", "Delete", "List")


class Permission(Base):
    """Stalker's (access, action, class_name) triple; held by users and groups."""

    __tablename__ = "permissions"
    __table_args__ = (
        UniqueConstraint("access", "action", "class_name"),
        CheckConstraint("access IN ('Allow', 'Deny')", name="access"),
        CheckConstraint("action IN ('Create', 'Read', 'Update', 'Delete', 'List')", name="action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    access: Mapped[str] = mapped_column(String(5))
    action: Mapped[str] = mapped_column(String(6))
    class_name: Mapped[str] = mapped_column(String(64))

    def __init__(self, access: str, action: str, class_name: str) -> None:
        if access not in ACCESSES:
            raise ValueError(f"access must be one of {', '.join(ACCESSES)}, not {access!r}")
        if action not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
        if not class_name or not class_name.isidentifier():
            raise ValueError(f"class_name must be a class name, not {class_name!r}")
        super().__init__(access=access, action=action, class_name=class_name)

    @property
    def permission_name(self) -> str:
        """The Pyramid permission this row grants or denies, e.g. ``Update_User``."""
        return f"{self.action}_{self.class_name}"

    def __repr__(self) -> str:
        return f"<Permission {self.access} {self.permission_name}>"


def permission_class_names() -> list[str]:
    """The class names permissions can be given for: every entity class, plus the logs, the
    ACLs, the workload of people and their weekly timesheets."""
    from .meta import Base
    from .mixins import EntityMixin

    names = {
        mapper.class_.__name__
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, EntityMixin)
    }
    return sorted(names | {"AuthenticationLog", "Permission", "Timesheet", "Workload"})
