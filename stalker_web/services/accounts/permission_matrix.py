"""Permission rows of groups and users as a class × action matrix, and a user's effective rights.

A matrix cell is keyed by ``(class_name, action)`` and holds ``"Allow"``, ``"Deny"`` or ``""``
(not set). Effective permissions are decided by the application's real mechanism: Pyramid's
ACLHelper over :func:`stalker_web.security.studio_acl`, so this page can never disagree with it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from pyramid.authorization import ALL_PERMISSIONS, ACLHelper
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...models import DepartmentUser, Group, Permission, ProjectUser, User
from ...models.permission import ACCESSES, ACTIONS, permission_class_names
from ...security import principals_for, studio_acl
from ..errors import ValidationError, check_version
from .studio_rights import StudioRights, reach_refusal, rights_text
from .user_rights import UserRights

Cell = tuple[str, str]

# Denying these to yourself would take away the right to undo it.
SELF_LOCKOUT_CELLS = (("Permission", "Read"), ("Permission", "Update"))


@dataclass
class PermissionMatrix:
    """The permission rows of one group or user, cell by cell."""

    cells: dict[Cell, str] = field(default_factory=dict)
    class_names: list[str] = field(default_factory=permission_class_names)
    actions: tuple[str, ...] = ACTIONS

    def access(self, class_name: str, action: str) -> str:
        """``"Allow"``, ``"Deny"`` or ``""`` when the cell is not set."""
        return self.cells.get((class_name, action), "")


@dataclass(frozen=True)
class Decision:
    """Whether a user may do one action on one class, and which rule decided it."""

    allowed: bool
    reason: str


@dataclass
class EffectivePermissions:
    """Every class × action decision for one user."""

    decisions: dict[Cell, Decision]
    class_names: list[str] = field(default_factory=permission_class_names)
    actions: tuple[str, ...] = ACTIONS

    def decision(self, class_name: str, action: str) -> Decision:
        return self.decisions[(class_name, action)]


def matrix_of(holder: Group | User) -> PermissionMatrix:
    """The matrix of the rows ``holder`` has; where a cell has both, Deny shows (it wins)."""
    cells: dict[Cell, str] = {}
    for permission in holder.permissions:
        cell = (permission.class_name, permission.action)
        if cells.get(cell) != "Deny":
            cells[cell] = permission.access
    return PermissionMatrix(cells)


def matrix_from_cells(submitted: Mapping[Cell, str]) -> PermissionMatrix:
    """The matrix a submitted form shows again: its valid, set cells."""
    known = set(permission_class_names())
    return PermissionMatrix(
        {
            (class_name, action): access
            for (class_name, action), access in submitted.items()
            if class_name in known and action in ACTIONS and access in ACCESSES
        }
    )


def _checked_cells(submitted: Mapping[Cell, str]) -> dict[Cell, str]:
    """The set cells of ``submitted``, or a ValidationError naming the first invalid one."""
    known = set(permission_class_names())
    for (class_name, action), access in submitted.items():
        if class_name not in known:
            raise ValidationError(
                f"There is no class {class_name!r} to give permissions on; reload the page "
                "and save the matrix again."
            )
        if action not in ACTIONS:
            raise ValidationError(
                f"{action!r} is not an action; the actions are {', '.join(ACTIONS)}. "
                "Reload the page and save the matrix again."
            )
        if access not in ("", *ACCESSES):
            raise ValidationError(
                f"{access!r} is not a choice for {action} {class_name}; choose Allow, Deny or "
                "nothing."
            )
    return {cell: access for cell, access in submitted.items() if access}


def _permission_rows(dbsession: Session, cells: Mapping[Cell, str]) -> list[Permission]:
    """The Permission rows for ``cells``: existing rows are reused, missing ones created."""
    if not cells:
        return []
    class_names = {class_name for class_name, _action in cells}
    existing = {
        (row.access, row.action, row.class_name): row
        for row in dbsession.scalars(
            select(Permission).where(Permission.class_name.in_(class_names))
        )
    }
    rows = []
    for (class_name, action), access in sorted(cells.items()):
        row = existing.get((access, action, class_name))
        if row is None:
            row = Permission(access, action, class_name)
            dbsession.add(row)
        rows.append(row)
    return rows


def right_of(cell: Cell) -> str:
    """The right a cell is about: ``("User", "Update")`` → ``Update_User``."""
    class_name, action = cell
    return f"{action}_{class_name}"


def _check_changes_held(holder: Group | User, checked: Mapping[Cell, str], actor: StudioRights):
    """Refuse setting or clearing a cell whose right ``actor`` does not hold: nobody hands out,
    or takes away, a right they do not hold (themselves included)."""
    current = matrix_of(holder).cells
    changed = {
        cell
        for cell in current.keys() | checked.keys()
        if current.get(cell, "") != checked.get(cell, "")
    }
    lacking = actor.lacking(right_of(cell) for cell in changed)
    if lacking:
        raise ValidationError(
            "You may only set or clear permissions you hold yourself; you do not hold "
            f"{rights_text(lacking)}. Ask someone who does."
        )


def set_group_permissions(
    dbsession: Session,
    group: Group,
    *,
    submitted_version: int | None,
    cells: Mapping[Cell, str],
    actor: StudioRights,
) -> None:
    """Replace the permission rows of ``group`` with the set cells of the submitted matrix; the
    cells that change must name rights ``actor`` (the acting user) holds."""
    check_version(group, submitted_version, "This group")
    checked = _checked_cells(cells)
    _check_changes_held(group, checked, actor)
    group.permissions = _permission_rows(dbsession, checked)
    dbsession.flush()


def set_user_permissions(
    dbsession: Session,
    user: User,
    *,
    submitted_version: int | None,
    cells: Mapping[Cell, str],
    acting_user_id: int | None,
    actor: StudioRights,
    admin_group_name: str,
) -> None:
    """Replace the user's own permission rows, which override those of their groups.

    ``actor`` (what the acting user holds) must hold every right ``user`` holds (a member of the
    admin group: the right to update permissions), and every right of a cell that changes, so
    nobody raises anyone's rights, their own included. Nobody may deny themselves reading or
    changing permissions: they could not undo it.
    """
    check_version(user, submitted_version, "This user")
    checked = _checked_cells(cells)
    refusal = reach_refusal(actor, user, "change the permissions of", admin_group_name)
    if refusal:
        raise ValidationError(refusal)
    _check_changes_held(user, checked, actor)
    if user.id == acting_user_id:
        for class_name, action in SELF_LOCKOUT_CELLS:
            if checked.get((class_name, action)) == "Deny":
                raise ValidationError(
                    f"You cannot deny yourself {action} on {class_name}: you would lose the "
                    "right to undo it. Ask another administrator if it must be done."
                )
    user.permissions = _permission_rows(dbsession, checked)
    dbsession.flush()


def load_user(dbsession: Session, user_id: int) -> User:
    """The user with what deciding their permissions reads: own rows, groups and memberships."""
    return dbsession.scalars(
        select(User)
        .where(User.id == user_id)
        .options(
            selectinload(User.permissions),
            selectinload(User.groups).selectinload(Group.permissions),
            selectinload(User.department_memberships).joinedload(DepartmentUser.role),
            selectinload(User.project_memberships).joinedload(ProjectUser.role),
        )
    ).one()


class _StudioContext:
    """A stand-in for the studio root: the ACL the application would use for ``user``."""

    def __init__(self, acl: list[tuple]) -> None:
        self.__acl__ = acl


def _reason(ace, user: User, group_names: Mapping[str, str]) -> str:
    """Plain words for the ACL entry that decided (or ``<default deny>`` when none did)."""
    if isinstance(ace, str):
        return "not granted"
    access, principal, _permissions = ace
    if _permissions is ALL_PERMISSIONS:
        return f"{group_names.get(principal, principal)} group (all permissions)"
    if principal == user.principal:
        return f"own permission: {access}"
    if principal in group_names:
        return f"group {group_names[principal]}: {access}"
    return f"{principal}: {access}"


def effective_permissions(user: User, admin_group_name: str) -> EffectivePermissions:
    """For every class × action, whether ``user`` is allowed and why, as the app decides it."""
    rights = UserRights.of_user(user)
    context = _StudioContext(studio_acl(rights, admin_group_name))
    principals = principals_for(rights)
    group_names = {group.principal: group.name for group in user.groups}
    helper = ACLHelper()
    decisions = {}
    for class_name in permission_class_names():
        for action in ACTIONS:
            result = helper.permits(context, principals, f"{action}_{class_name}")
            decisions[(class_name, action)] = Decision(
                bool(result), _reason(result.ace, user, group_names)
            )
    return EffectivePermissions(decisions)
