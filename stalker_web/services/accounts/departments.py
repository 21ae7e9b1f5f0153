"""Departments: creating, editing and deleting them, and managing their members and roles."""

from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from ...models import Department, DepartmentUser, Role, User
from ...pagination import Page, paginate
from ..errors import ValidationError, check_version
from ..names import checked_unique_name
from .roles import chosen_role
from .users import user_to_add


@dataclass
class DepartmentSummary:
    """A department as the list shows it: its member count and who manages it."""

    department: Department
    member_count: int
    managers: list[DepartmentUser] = field(default_factory=list)


@dataclass
class DepartmentRoster:
    """What the department page shows: the members, and the choices for managing them."""

    memberships: list[DepartmentUser]
    roles: list[Role]
    candidates: list[User]


def department_page(dbsession: Session, *, search: str, number: int) -> Page:
    """One page of departments by name, each with its member count and its managers.

    Four queries whatever the number of departments and members: the count, the page, the member
    counts and the memberships holding a role that manages departments.
    """
    statement = select(Department).order_by(Department.name, Department.id)
    if search:
        statement = statement.where(
            func.lower(Department.name).contains(search.lower(), autoescape=True)
        )
    page = paginate(dbsession, statement, number, params={"q": search})
    ids = [department.id for department in page.items]
    if not ids:
        return page
    counts = {
        department_id: count
        for department_id, count in dbsession.execute(
            select(DepartmentUser.department_id, func.count())
            .where(DepartmentUser.department_id.in_(ids))
            .group_by(DepartmentUser.department_id)
        )
    }
    managers: dict[int, list[DepartmentUser]] = {}
    for membership in dbsession.scalars(
        select(DepartmentUser)
        .join(DepartmentUser.role)
        .join(DepartmentUser.user)
        .where(
            DepartmentUser.department_id.in_(ids),
            Role.manages_department.is_(True),
        )
        .options(contains_eager(DepartmentUser.role), contains_eager(DepartmentUser.user))
        .order_by(User.name, User.id)
    ):
        managers.setdefault(membership.department_id, []).append(membership)
    summaries = [
        DepartmentSummary(department, counts.get(department.id, 0), managers.get(department.id, []))
        for department in page.items
    ]
    return replace(page, items=summaries)


def load_roster(
    dbsession: Session, department: Department, *, with_choices: bool
) -> DepartmentRoster:
    """The members of ``department`` by name; with the roles and the active non-members if asked."""
    memberships = list(
        dbsession.scalars(
            select(DepartmentUser)
            .join(DepartmentUser.user)
            .where(DepartmentUser.department_id == department.id)
            .options(contains_eager(DepartmentUser.user), joinedload(DepartmentUser.role))
            .order_by(User.name, User.id)
        )
    )
    if not with_choices:
        return DepartmentRoster(memberships, [], [])
    roles = list(dbsession.scalars(select(Role).order_by(Role.name, Role.id)))
    members = select(DepartmentUser.user_id).where(DepartmentUser.department_id == department.id)
    candidates = list(
        dbsession.scalars(
            select(User)
            .where(User.is_active.is_(True), User.id.not_in(members))
            .order_by(User.name, User.id)
        )
    )
    return DepartmentRoster(memberships, roles, candidates)


def create_department(dbsession: Session, *, name: str, description: str = "") -> Department:
    """Create a department; the name is required and unique."""
    department = Department(
        name=checked_unique_name(dbsession, Department, name, None, "department"),
        description=(description or "").strip(),
    )
    dbsession.add(department)
    dbsession.flush()
    return department


def update_department(
    dbsession: Session,
    department: Department,
    *,
    submitted_version: int | None,
    name: str,
    description: str,
) -> Department:
    """Rename or re-describe a department edited from the page loaded at ``submitted_version``."""
    check_version(department, submitted_version, "This department")
    department.name = checked_unique_name(dbsession, Department, name, department.id, "department")
    department.description = (description or "").strip()
    dbsession.flush()
    return department


def delete_department(dbsession: Session, department: Department) -> None:
    """Delete a department and its memberships; the users themselves stay."""
    dbsession.delete(department)
    dbsession.flush()


def _membership(dbsession: Session, department: Department, user_id: int | None) -> DepartmentUser:
    membership = None
    if user_id is not None:
        membership = dbsession.get(DepartmentUser, (department.id, user_id))
    if membership is None:
        raise ValidationError(
            f"That user is not a member of {department.name}; reload the page to see its members."
        )
    return membership


def add_member(
    dbsession: Session, department: Department, *, user_id: int | None, role_id: int | None
) -> DepartmentUser:
    """Add an active user who is not yet a member, with an optional role."""
    user = user_to_add(dbsession, user_id)
    if dbsession.get(DepartmentUser, (department.id, user.id)) is not None:
        raise ValidationError(f"{user.name} is already a member of {department.name}.", "user_id")
    role = chosen_role(dbsession, role_id)
    membership = DepartmentUser(department=department, user=user, role=role)
    dbsession.add(membership)
    dbsession.flush()
    return membership


def change_member_role(
    dbsession: Session, department: Department, *, user_id: int, role_id: int | None
) -> DepartmentUser:
    """Give a member another role, or none."""
    membership = _membership(dbsession, department, user_id)
    membership.role = chosen_role(dbsession, role_id)
    dbsession.flush()
    return membership


def remove_member(dbsession: Session, department: Department, *, user_id: int) -> User:
    """Remove a user from the department (the account stays); returns that user."""
    membership = _membership(dbsession, department, user_id)
    user = membership.user
    department.memberships.remove(membership)
    dbsession.flush()
    return user
