"""The Stalker object model; importing this package registers every mapped class."""

from .authentication_log import AuthenticationLog
from .department import Department, DepartmentUser, Role
from .meta import Base
from .permission import Permission
from .status import Status, StatusList, StatusListStatus
from .studio import Studio
from .tag import Tag
from .type import Type
from .user import Group, User

__all__ = [
    "AuthenticationLog",
    "Base",
    "Department",
    "DepartmentUser",
    "Group",
    "Permission",
    "Role",
    "Status",
    "StatusList",
    "StatusListStatus",
    "Studio",
    "Tag",
    "Type",
    "User",
]
