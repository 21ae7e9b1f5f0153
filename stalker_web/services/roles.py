"""Roles: creating, renaming and deleting the labels department members hold."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import DepartmentUser, Role
from ..models.mixins import clean_name
from ..pagination import Page, paginate
from .errors import ValidationError, check_version

NAME_MAX_LENGTH = 256


def _checked_name(dbsession: Session, name: str | None, exclude_id: int | None) -> str:
    """The cleaned role name, or a ValidationError if it is blank, too long or taken.

    Names are compared without regard to case: department principals lower-case role names, so
    "Lead" and "lead" would grant the same rights.
    """
    cleaned = clean_name(name)
    if not cleaned:
        raise ValidationError("A name is required.", "name")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise ValidationError(f"Use at most {NAME_MAX_LENGTH} characters.", "name")
    same_name = select(func.count()).where(func.lower(Role.name) == cleaned.lower())
    if exclude_id is not None:
        same_name = same_name.where(Role.id != exclude_id)
    if dbsession.scalar(same_name):
        raise ValidationError(f"A role named {cleaned!r} already exists.", "name")
    return cleaned


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
    role = Role(name=_checked_name(dbsession, name, None))
    dbsession.add(role)
    dbsession.flush()
    return role


def update_role(
    dbsession: Session, role: Role, *, submitted_version: int | None, name: str
) -> Role:
    """Rename a role edited from the page loaded at ``submitted_version``."""
    check_version(role, submitted_version, "This role")
    role.name = _checked_name(dbsession, name, role.id)
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
