"""What authorization needs to know of the acting user, read in one query as plain values.

Every request asks it: which groups the user is in, the Permission rows of the user and of those
groups, and the departments and projects they are a member of (and whether their role there
manages). :func:`load_user_rights` reads all of it in one statement, built once; the security
policy turns it into principals and the studio-wide ACL (``stalker_web.security``).
"""

from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Integer,
    String,
    bindparam,
    cast,
    false,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from ...models import DepartmentUser, Group, Permission, ProjectUser, Role, User
from ...models.user import group_users


@dataclass(frozen=True)
class Membership:
    """A membership of a department or project, and whether its role manages it."""

    id: int
    manages: bool


@dataclass(frozen=True)
class GroupRight:
    """A group the user is in."""

    id: int
    name: str

    @property
    def principal(self) -> str:
        return f"group:{self.id}"


@dataclass(frozen=True)
class PermissionRow:
    """A Permission row held by the user (``group_id`` None) or by one of their groups."""

    access: str
    permission_name: str
    group_id: int | None = None


@dataclass(frozen=True)
class UserRights:
    """The groups, Permission rows and memberships of one user, as plain immutable values."""

    user_id: int
    groups: tuple[GroupRight, ...] = ()
    permissions: tuple[PermissionRow, ...] = ()
    departments: tuple[Membership, ...] = ()
    projects: tuple[Membership, ...] = ()

    @property
    def principal(self) -> str:
        return f"user:{self.user_id}"

    @property
    def own_permissions(self) -> tuple[PermissionRow, ...]:
        return tuple(row for row in self.permissions if row.group_id is None)

    @property
    def group_permissions(self) -> tuple[PermissionRow, ...]:
        return tuple(row for row in self.permissions if row.group_id is not None)

    @property
    def project_ids(self) -> frozenset[int]:
        return frozenset(membership.id for membership in self.projects)

    @property
    def managed_project_ids(self) -> frozenset[int]:
        return frozenset(membership.id for membership in self.projects if membership.manages)

    @property
    def led_department_ids(self) -> frozenset[int]:
        return frozenset(membership.id for membership in self.departments if membership.manages)

    def in_group(self, name: str) -> bool:
        return any(group.name == name for group in self.groups)

    @classmethod
    def of_user(cls, user: User, *, memberships: bool = True) -> "UserRights":
        """The rights of a loaded ``user``: its groups and permissions are read, and its
        memberships unless ``memberships`` is false (the studio-wide rights need none)."""
        if not memberships:
            return cls(user.id, *cls._of_groups(user))
        return cls(
            user.id,
            *cls._of_groups(user),
            departments=tuple(
                Membership(m.department_id, bool(m.role is not None and m.role.manages_department))
                for m in user.department_memberships
            ),
            projects=tuple(
                Membership(m.project_id, bool(m.role is not None and m.role.manages_project))
                for m in user.project_memberships
            ),
        )

    @staticmethod
    def _of_groups(user: User) -> tuple[tuple[GroupRight, ...], tuple[PermissionRow, ...]]:
        return (
            tuple(GroupRight(group.id, group.name) for group in user.groups),
            tuple(PermissionRow(row.access, row.permission_name) for row in user.permissions)
            + tuple(
                PermissionRow(row.access, row.permission_name, group.id)
                for group in user.groups
                for row in group.permissions
            ),
        )


def _flag(column):
    """A role flag, false where the membership has no role."""
    return func.coalesce(column, false())


def _rights_statement():
    """One UNION ALL of every kind of row, each tagged with its kind; ``user_id`` is bound."""
    user_id = bindparam("user_id", type_=Integer)
    user_permissions = User.permissions.property.secondary
    group_permissions = Group.permissions.property.secondary
    no_id, no_text, no_flag = cast(null(), Integer), cast(null(), String), cast(null(), Boolean)
    return union_all(
        select(
            literal("group", String).label("kind"),
            Group.id.label("ref_id"),
            Group.name.label("name"),
            no_text.label("access"),
            no_flag.label("manages"),
        )
        .join(group_users, group_users.c.group_id == Group.id)
        .where(group_users.c.user_id == user_id),
        select(
            literal("user permission", String),
            no_id,
            (Permission.action + literal("_", String) + Permission.class_name),
            Permission.access,
            no_flag,
        )
        .join(user_permissions, user_permissions.c.permission_id == Permission.id)
        .where(user_permissions.c.entity_id == user_id),
        select(
            literal("group permission", String),
            group_users.c.group_id,
            (Permission.action + literal("_", String) + Permission.class_name),
            Permission.access,
            no_flag,
        )
        .join(group_permissions, group_permissions.c.permission_id == Permission.id)
        .join(group_users, group_users.c.group_id == group_permissions.c.entity_id)
        .where(group_users.c.user_id == user_id),
        select(
            literal("department", String),
            DepartmentUser.department_id,
            no_text,
            no_text,
            _flag(Role.manages_department),
        )
        .outerjoin(Role, Role.id == DepartmentUser.role_id)
        .where(DepartmentUser.user_id == user_id),
        select(
            literal("project", String),
            ProjectUser.project_id,
            no_text,
            no_text,
            _flag(Role.manages_project),
        )
        .outerjoin(Role, Role.id == ProjectUser.role_id)
        .where(ProjectUser.user_id == user_id),
    )


# Built once: the statement is the same for every request, only ``user_id`` changes.
_RIGHTS = _rights_statement()


def load_user_rights(dbsession: Session, user_id: int) -> UserRights:
    """The rights of user ``user_id``, in one query."""
    groups, permissions, departments, projects = [], [], [], []
    for kind, ref_id, name, access, manages in dbsession.execute(_RIGHTS, {"user_id": user_id}):
        if kind == "group":
            groups.append(GroupRight(ref_id, name))
        elif kind == "user permission":
            permissions.append(PermissionRow(access, name))
        elif kind == "group permission":
            permissions.append(PermissionRow(access, name, ref_id))
        elif kind == "department":
            departments.append(Membership(ref_id, bool(manages)))
        else:
            projects.append(Membership(ref_id, bool(manages)))
    return UserRights(
        user_id,
        tuple(groups),
        tuple(permissions),
        tuple(departments),
        tuple(projects),
    )
