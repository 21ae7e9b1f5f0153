"""Finding active people by name or login (the user picker), and typed logins turned into users.

A search is two queries whatever the studio's size: the matching users (members of the given
project, then of the given department, first), then the department names of the few found.
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from ...models import Department, DepartmentUser, ProjectUser, User
from ..errors import ValidationError

SEARCH_MAX_LENGTH = 100
DEFAULT_LIMIT, MAX_LIMIT = 20, 25
# The most people one field of a form (resources, responsible, ...) takes.
MAX_PEOPLE = 50
LOGIN_SEPARATOR = ","
# Comma-separated logins typed in a user picker without JavaScript (50 long logins).
LOGINS_MAX_LENGTH = 2000


@dataclass(frozen=True)
class PersonMatch:
    """One person the picker offers: who, their login, departments and initials."""

    id: int
    name: str
    login: str
    departments: str
    initials: str


@dataclass(frozen=True)
class PeopleFound:
    """The first matches of a search, and whether more people match."""

    users: list[PersonMatch]
    more: bool

    def as_json(self) -> dict:
        return {"users": [asdict(person) for person in self.users], "more": self.more}


def initials(name: str) -> str:
    """ "Ann Lee" → "AL", "Ann" → "AN": two letters to show in a small circle."""
    words = [word for word in (name or "").split() if word[:1].isalpha()]
    if len(words) >= 2:
        return (words[0][0] + words[-1][0]).upper()
    return (words[0][:2] if words else "?").upper()


def search_text(text: str | None) -> str:
    """The text to search people by: trimmed, 1 to ``SEARCH_MAX_LENGTH`` characters."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("Type at least one letter of a name or login.", "q")
    if len(text) > SEARCH_MAX_LENGTH:
        raise ValidationError(
            f"Search with at most {SEARCH_MAX_LENGTH} characters of a name or login.", "q"
        )
    return text


def search_users(
    dbsession: Session,
    text: str | None,
    *,
    project_id: int | None = None,
    department_id: int | None = None,
    limit: int = DEFAULT_LIMIT,
    members_only: bool = False,
) -> PeopleFound:
    """Active users whose name or login contains ``text`` (any case): members of ``project_id``
    first (only them when ``members_only``), then members of ``department_id``, then by name;
    at most ``limit`` (1 to 25)."""
    needle = search_text(text).lower()
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(f"Ask for 1 to {MAX_LIMIT} people at a time.", "limit")
    order, only = [], []
    if project_id is not None:
        on_project = select(ProjectUser.user_id).where(ProjectUser.project_id == project_id)
        order.append(case((User.id.in_(on_project), 0), else_=1))
        if members_only:  # a ticket's owner (tickets part)
            only.append(User.id.in_(on_project))
    if department_id is not None:
        in_department = select(DepartmentUser.user_id).where(
            DepartmentUser.department_id == department_id
        )
        order.append(case((User.id.in_(in_department), 0), else_=1))
    users = dbsession.execute(
        select(User.id, User.name, User.login)
        .where(
            User.is_active.is_(True),
            *only,
            or_(
                func.lower(User.name).contains(needle, autoescape=True),
                func.lower(User.login).contains(needle, autoescape=True),
            ),
        )
        .order_by(*order, func.lower(User.name), User.id)
        .limit(limit + 1)
    ).all()
    shown = users[:limit]
    departments = department_names(dbsession, [user.id for user in shown])
    return PeopleFound(
        [
            PersonMatch(
                user.id,
                user.name,
                user.login,
                ", ".join(departments.get(user.id, [])),
                initials(user.name),
            )
            for user in shown
        ],
        more=len(users) > limit,
    )


def department_names(dbsession: Session, user_ids: Iterable[int]) -> dict[int, list[str]]:
    """The names of each user's departments, by name (one query)."""
    user_ids = list(user_ids)
    names: dict[int, list[str]] = {}
    if not user_ids:
        return names
    rows = dbsession.execute(
        select(DepartmentUser.user_id, Department.name)
        .join(Department, Department.id == DepartmentUser.department_id)
        .where(DepartmentUser.user_id.in_(user_ids))
        .order_by(Department.name)
    )
    for user_id, name in rows:
        names.setdefault(user_id, []).append(name)
    return names


def typed_logins(text: str | None) -> list[str]:
    """The logins of a comma-separated text, trimmed, each once, in the typed order."""
    parts = (part.strip() for part in (text or "").split(LOGIN_SEPARATOR))
    return list(dict.fromkeys(part for part in parts if part))


def users_by_logins(dbsession: Session, text: str | None, field: str) -> list[User]:
    """The active users whose logins ``text`` lists ("ann, bob"), in that order (one query);
    refused under ``field`` when one of them is not the login of an active user."""
    logins = typed_logins(text)
    if not logins:
        return []
    if len(logins) > MAX_PEOPLE:
        raise ValidationError(f"Choose at most {MAX_PEOPLE} people here.", field)
    found = dbsession.scalars(
        select(User).where(
            User.is_active.is_(True),
            func.lower(User.login).in_([login.lower() for login in logins]),
        )
    ).all()
    exact = {user.login: user for user in found}
    folded = {user.login.lower(): user for user in found}
    users = [exact.get(login) or folded.get(login.lower()) for login in logins]
    unknown = [login for login, user in zip(logins, users, strict=True) if user is None]
    if unknown:
        raise ValidationError(f"No active user with the login '{unknown[0]}'.", field)
    return users


@dataclass(frozen=True)
class Picked:
    """What one user picker sent: the ids of the ticked people and the logins typed."""

    user_ids: tuple[int, ...] = ()
    logins: str | None = None


def picked_user_ids(dbsession: Session, picked: Picked, field: str) -> list[int]:
    """The ticked ids plus the ids of the people whose logins were typed, each once; at most
    ``MAX_PEOPLE``; refused under ``field``."""
    typed = users_by_logins(dbsession, picked.logins, field) if picked.logins else []
    ids = list(dict.fromkeys([*picked.user_ids, *(user.id for user in typed)]))
    if len(ids) > MAX_PEOPLE:
        raise ValidationError(f"Choose at most {MAX_PEOPLE} people here.", field)
    return ids


def people_by_ids(dbsession: Session, user_ids: Iterable[int]) -> dict[int, User]:
    """The users of ``user_ids`` that exist, by id (one query): what a picker shows as chosen."""
    user_ids = list(dict.fromkeys(user_ids))
    if not user_ids:
        return {}
    return {user.id: user for user in dbsession.scalars(select(User).where(User.id.in_(user_ids)))}
