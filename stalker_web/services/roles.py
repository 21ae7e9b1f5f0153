"""Roles: creating, renaming and deleting the labels department members hold."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import DepartmentUser, Role
from ..pagination import Page, paginate
from .errors import ValidationError, check_version
from .names import checked_unique_name


def membership_counts(dbsession: Session, role_ids: list[int]) -> dict[int, int]:
    """How many department memberships hold each of ``role_ids`` (absent ids hold none)."""
    if not role_ids:
        return {}
    rows = dbsession.execute(
        select(DepartmentUser.role_id, func.count())
        .where(DepartmentUser.role_id.in_(role_ids))
        .group_by(DepartmentUser.role_id)
    )
    return {role_id: count for role_id, count in rows}


def role_page(dbsession: Session, number: int) -> tuple[Page, dict[int, int]]:
    """One page of roles by name, with how many department memberships use each role."""
    page = paginate(dbsession, select(Role).order_by(Role.name, Role.id), number)
    return page, membership_counts(dbsession, [role.id for role in page.items])


def create_role(dbsession: Session, *, name: str) -> Role:
    """Create a role; the name is required and unique."""
    role = Role(name=checked_unique_name(dbsession, Role, name, None, "role"))
    dbsession.add(role)
    dbsession.flush()
    return role


def update_role(
    dbsession: Session, role: Role, *, submitted_version: int | None, name: str
) -> Role:
    """Rename a role edited from the page loaded at ``submitted_version``."""
    check_version(role, submitted_version, "This role")
    role.name = checked_unique_name(dbsession, Role, name, role.id, "role")
    dbsession.flush()
    return role


def delete_role(dbsession: Session, role: Role) -> None:
    """Delete a role, refused while department members hold it so no membership loses it."""
    held_by = membership_counts(dbsession, [role.id]).get(role.id, 0)
    if held_by:
        members = "member" if held_by == 1 else "members"
        raise ValidationError(
            f"{role.name} is held by {held_by} department {members}; give them another role first."
        )
    dbsession.delete(role)
    dbsession.flush()
