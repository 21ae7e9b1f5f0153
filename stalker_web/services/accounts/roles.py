"""Roles: creating, renaming and deleting the labels department and project members hold, and
the flags saying whether their holders manage their department or project."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import DepartmentUser, ProjectUser, Role
from ...pagination import Page, paginate
from ..errors import ValidationError, check_version
from ..names import checked_unique_name

FLAGS = ("manages_department", "manages_project")


@dataclass(frozen=True)
class RoleUse:
    """How many department and project memberships hold a role."""

    departments: int = 0
    projects: int = 0


def _counts(dbsession: Session, column, role_ids: list[int]) -> dict[int, int]:
    rows = dbsession.execute(
        select(column, func.count()).where(column.in_(role_ids)).group_by(column)
    )
    return {role_id: count for role_id, count in rows}


def role_uses(dbsession: Session, role_ids: list[int]) -> dict[int, RoleUse]:
    """How many department and project memberships hold each of ``role_ids`` (unused ids are
    left out), in two queries."""
    if not role_ids:
        return {}
    departments = _counts(dbsession, DepartmentUser.role_id, role_ids)
    projects = _counts(dbsession, ProjectUser.role_id, role_ids)
    return {
        role_id: RoleUse(departments.get(role_id, 0), projects.get(role_id, 0))
        for role_id in departments.keys() | projects.keys()
    }


def chosen_role(dbsession: Session, role_id: int | None) -> Role | None:
    """The role a form chose for a department or project member (None: no role); refused when
    it is gone."""
    if role_id is None:
        return None
    role = dbsession.get(Role, role_id)
    if role is None:
        raise ValidationError(
            "That role does not exist any more; reload the page and choose another.", "role_id"
        )
    return role


def role_page(dbsession: Session, number: int) -> tuple[Page, dict[int, RoleUse]]:
    """One page of roles by name, with how many memberships hold each role."""
    page = paginate(dbsession, select(Role).order_by(Role.name, Role.id), number)
    return page, role_uses(dbsession, [role.id for role in page.items])


def _apply_flags(role: Role, flags: dict[str, bool | None], may_set_flags: bool) -> None:
    """Set the flags given (None keeps one); changing one needs ``may_set_flags``."""
    for flag in FLAGS:
        value = flags.get(flag)
        if value is None or bool(value) == bool(getattr(role, flag)):
            continue
        if not may_set_flags:
            raise ValidationError(
                "Only someone allowed to update permissions may change what a role manages.",
                flag,
            )
        setattr(role, flag, bool(value))


def create_role(
    dbsession: Session,
    *,
    name: str,
    manages_department: bool | None = None,
    manages_project: bool | None = None,
    may_set_flags: bool = False,
) -> Role:
    """Create a role; the name is required and unique. Giving it a manager flag needs
    ``may_set_flags`` (the right to update permissions): its holders gain rights."""
    role = Role(
        name=checked_unique_name(dbsession, Role, name, None, "role"),
        manages_department=False,
        manages_project=False,
    )
    flags = {"manages_department": manages_department, "manages_project": manages_project}
    _apply_flags(role, flags, may_set_flags)
    dbsession.add(role)
    dbsession.flush()
    return role


def update_role(
    dbsession: Session,
    role: Role,
    *,
    submitted_version: int | None,
    name: str,
    manages_department: bool | None = None,
    manages_project: bool | None = None,
    may_set_flags: bool = False,
) -> Role:
    """Rename a role edited from the page loaded at ``submitted_version``; a flag given (not
    None) that differs from the role's needs ``may_set_flags``. A rename never changes what the
    role's holders manage."""
    check_version(role, submitted_version, "This role")
    cleaned = checked_unique_name(dbsession, Role, name, role.id, "role")
    flags = {"manages_department": manages_department, "manages_project": manages_project}
    _apply_flags(role, flags, may_set_flags)
    role.name = cleaned
    dbsession.flush()
    return role


def _held_by(use: RoleUse) -> str:
    parts = []
    for count, kind in ((use.departments, "department"), (use.projects, "project")):
        if count:
            parts.append(f"{count} {kind} {'member' if count == 1 else 'members'}")
    return " and ".join(parts)


def delete_role(dbsession: Session, role: Role) -> None:
    """Delete a role, refused while department or project members hold it, so no membership
    silently loses it."""
    use = role_uses(dbsession, [role.id]).get(role.id)
    if use is not None:
        raise ValidationError(
            f"{role.name} is held by {_held_by(use)}; give them another role first."
        )
    dbsession.delete(role)
    dbsession.flush()
