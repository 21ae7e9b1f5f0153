"""The user directory: the filtered, paginated list of users, its CSV export and the choices."""

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...models import Department, DepartmentUser, Group, Role, User
from ...models.user import group_users
from ...pagination import Page, paginate

STATES = ("active", "inactive", "all")
CSV_HEADER = (
    "id", "name", "login", "email", "active", "departments", "groups", "efficiency", "rate",
    "last_login",
)  # fmt: skip
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class UserFilters:
    """What the user list is narrowed to; ``state`` is one of :data:`STATES`."""

    search: str = ""
    department_id: int | None = None
    group_id: int | None = None
    state: str = "active"

    def params(self) -> dict:
        """The query string that reproduces these filters (blank ones left out)."""
        params = {
            "q": self.search,
            "department_id": self.department_id,
            "group_id": self.group_id,
            "state": self.state,
        }
        return {key: value for key, value in params.items() if value not in (None, "")}


@dataclass
class FormChoices:
    """The departments, roles and groups the user forms and list filters offer, by name."""

    departments: list[Department]
    roles: list[Role]
    groups: list[Group]


def user_select(filters: UserFilters) -> Select:
    """Users matching ``filters`` by name, with their departments, roles and groups eager-loaded."""
    statement = (
        select(User)
        .options(
            selectinload(User.department_memberships).options(
                joinedload(DepartmentUser.department), joinedload(DepartmentUser.role)
            ),
            selectinload(User.groups),
        )
        .order_by(User.name, User.id)
    )
    if filters.search:
        needle = filters.search.lower()
        statement = statement.where(
            or_(
                *(
                    func.lower(column).contains(needle, autoescape=True)
                    for column in (User.name, User.login, User.email)
                )
            )
        )
    if filters.department_id is not None:
        members = select(DepartmentUser.user_id).where(
            DepartmentUser.department_id == filters.department_id
        )
        statement = statement.where(User.id.in_(members))
    if filters.group_id is not None:
        members = select(group_users.c.user_id).where(group_users.c.group_id == filters.group_id)
        statement = statement.where(User.id.in_(members))
    if filters.state != "all":
        statement = statement.where(User.is_active.is_(filters.state != "inactive"))
    return statement


def user_page(dbsession: Session, filters: UserFilters, number: int) -> Page:
    """One page of the users matching ``filters``, in four queries whatever the page holds."""
    return paginate(dbsession, user_select(filters), number, params=filters.params())


def spreadsheet_safe(value: str) -> str:
    """``value`` with a leading apostrophe if a spreadsheet would read it as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def memberships_text(user: User) -> str:
    """The user's departments as ``Dept (Role); Other Dept``, by department name."""
    memberships = sorted(user.department_memberships, key=lambda m: m.department.name)
    return "; ".join(
        f"{m.department.name} ({m.role.name})" if m.role else m.department.name for m in memberships
    )


def export_rows(dbsession: Session, filters: UserFilters) -> list[list[str]]:
    """The header and one row per user matching ``filters``, safe to open in a spreadsheet."""
    rows = [list(CSV_HEADER)]
    for user in dbsession.scalars(user_select(filters)):
        last_login = user.last_login.isoformat(timespec="seconds") if user.last_login else ""
        values = (
            user.id,
            user.name,
            user.login,
            user.email,
            "yes" if user.is_active else "no",
            memberships_text(user),
            "; ".join(group.name for group in user.groups),
            user.efficiency,
            user.rate,
            last_login,
        )
        rows.append([spreadsheet_safe(str(value)) for value in values])
    return rows


def form_choices(dbsession: Session) -> FormChoices:
    """Every department, role and group (with its permissions) by name."""
    return FormChoices(
        departments=list(dbsession.scalars(select(Department).order_by(Department.name))),
        roles=list(dbsession.scalars(select(Role).order_by(Role.name))),
        groups=list(
            dbsession.scalars(
                select(Group).options(selectinload(Group.permissions)).order_by(Group.name)
            )
        ),
    )


def load_user_details(dbsession: Session, user_id: int) -> User:
    """The user with what their page shows: departments, roles, groups and who created/updated."""
    return dbsession.scalars(
        select(User)
        .where(User.id == user_id)
        .options(
            selectinload(User.department_memberships).options(
                joinedload(DepartmentUser.department), joinedload(DepartmentUser.role)
            ),
            selectinload(User.groups),
            joinedload(User.created_by),
            joinedload(User.updated_by),
        )
    ).one()
