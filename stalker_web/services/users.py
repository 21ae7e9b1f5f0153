"""User accounts: creating, editing, activation and passwords, with who may grant what."""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Department, DepartmentUser, Group, Role, User
from .errors import ValidationError, check_version, model_rules
from .passwords import check_password_rules, hash_password, verify_password

TEXT_MAX_LENGTH = 256


@dataclass(frozen=True)
class AssignmentRights:
    """What the acting user may hand out, so nobody can raise anyone's rights (their own included).

    Changing groups needs ``may_change_groups``. Adding to or removing from the admin group, and
    changing the password or the active state of its members, need ``may_manage_admins``. The
    groups in ``withheld_group_ids`` grant rights the acting user lacks: they can be neither given
    nor taken away. A department can be given only if its id is in ``department_ids``.
    """

    admin_group_name: str = ""
    may_change_groups: bool = False
    may_manage_admins: bool = False
    withheld_group_ids: frozenset[int] = frozenset()
    department_ids: frozenset[int] = frozenset()


def _check_unique(dbsession: Session, login: str, email: str, exclude_id: int | None) -> None:
    others = select(func.count()).select_from(User)
    if exclude_id is not None:
        others = others.where(User.id != exclude_id)
    if dbsession.scalar(others.where(User.login == login)):
        raise ValidationError(f"The login {login!r} is taken; choose another.", "login")
    if dbsession.scalar(others.where(User.email == email)):
        raise ValidationError(f"The e-mail address {email} is used by another user.", "email")


def _checked_account(dbsession: Session, *, exclude_id: int | None, **values) -> User:
    """A throwaway User holding ``values`` as the model cleans them; refuses invalid or taken ones.

    Running the model's own validators on a transient object checks everything before the real
    user is touched.
    """
    for key in ("name", "login", "email"):
        if len((values[key] or "").strip()) > TEXT_MAX_LENGTH:
            raise ValidationError(f"Use at most {TEXT_MAX_LENGTH} characters.", key)
    for key in ("efficiency", "rate"):
        if values[key] is not None and not math.isfinite(values[key]):
            raise ValidationError("Enter a number such as 1 or 0.5.", key)
    with model_rules():
        account = User(**values)
    _check_unique(dbsession, account.login, account.email, exclude_id)
    return account


def _is_admin(groups: Iterable[Group], admin_group_name: str) -> bool:
    return any(group.name == admin_group_name for group in groups)


def _checked_groups(
    dbsession: Session, current: list[Group], group_ids: Iterable[int], rights: AssignmentRights
) -> list[Group]:
    """The groups ``group_ids`` name, if the acting user may make that change from ``current``.

    Someone who may not manage admins is never offered the admin group, so a member of it keeps
    that membership whatever they submit.
    """
    wanted = set(group_ids)
    if wanted == {group.id for group in current}:
        return list(current)
    if not rights.may_change_groups:
        raise ValidationError("Changing groups needs the right to update groups.", "group_ids")
    groups = list(dbsession.scalars(select(Group).where(Group.id.in_(wanted))))
    if len(groups) != len(wanted):
        raise ValidationError(
            "One of the chosen groups does not exist any more; reload the page and choose again.",
            "group_ids",
        )
    admin = rights.admin_group_name
    if _is_admin(groups, admin) != _is_admin(current, admin) and not rights.may_manage_admins:
        if _is_admin(groups, admin):
            raise ValidationError(
                f"Only someone allowed to update permissions may add users to {admin}.",
                "group_ids",
            )
        groups += [group for group in current if group.name == admin]
    withheld_added = [
        group.name
        for group in groups
        if group.id in rights.withheld_group_ids and group not in current
    ]
    if withheld_added:
        raise ValidationError(
            f"You may not add users to {', '.join(withheld_added)}: membership grants rights "
            "you do not hold yourself.",
            "group_ids",
        )
    groups += [
        group for group in current if group.id in rights.withheld_group_ids and group not in groups
    ]
    return groups


def _checked_department(
    dbsession: Session, department_id: int | None, role_id: int | None, rights: AssignmentRights
) -> tuple[Department | None, Role | None]:
    if department_id is None:
        if role_id is not None:
            raise ValidationError(
                "A role is held in a department: choose the department too, or no role.",
                "role_id",
            )
        return None, None
    department = dbsession.get(Department, department_id)
    if department is None:
        raise ValidationError(
            "That department does not exist any more; reload the page and choose another.",
            "department_id",
        )
    if department.id not in rights.department_ids:
        raise ValidationError(f"You may not add people to {department.name}.", "department_id")
    role = dbsession.get(Role, role_id) if role_id is not None else None
    if role_id is not None and role is None:
        raise ValidationError(
            "That role does not exist any more; reload the page and choose another.", "role_id"
        )
    return department, role


def _refuse_last_admin(dbsession: Session, user: User, admin_group_name: str, field=None) -> None:
    """Refuse to take ``user`` out of the admin group's active members if nobody else is left."""
    others = dbsession.scalar(
        select(func.count())
        .select_from(User)
        .join(User.groups)
        .where(Group.name == admin_group_name, User.is_active.is_(True), User.id != user.id)
    )
    if user.is_active and not others:
        raise ValidationError(
            f"{user.name} is the last active member of {admin_group_name}; make someone else an "
            "administrator first, or nobody could manage the studio.",
            field,
        )


def _place(user: User, department: Department, role: Role | None) -> None:
    """Give ``user`` ``role`` in ``department``, adding the membership if there is none yet."""
    for membership in user.department_memberships:
        if membership.department_id == department.id:
            membership.role = role
            return
    user.department_memberships.append(DepartmentUser(department=department, role=role))


def create_user(
    dbsession: Session,
    *,
    name: str,
    login: str,
    email: str,
    password: str,
    password_min_length: int,
    must_change_password: bool = False,
    efficiency: float | None = 1.0,
    rate: float | None = 0.0,
    groups: list[Group] | None = None,
    group_ids: Iterable[int] | None = None,
    department_id: int | None = None,
    role_id: int | None = None,
    rights: AssignmentRights | None = None,
) -> User:
    """Create a user with a hashed password; refuses taken logins/e-mails and weak passwords.

    ``groups`` come from trusted callers (the CLI, tests). ``group_ids``, ``department_id`` and
    ``role_id`` come from a form and are checked against the acting user's ``rights``.
    """
    rights = rights or AssignmentRights()
    user = _checked_account(
        dbsession,
        exclude_id=None,
        name=name,
        login=login,
        email=email,
        efficiency=efficiency,
        rate=rate,
    )
    check_password_rules(password, user.login, password_min_length)
    chosen = _checked_groups(dbsession, [], group_ids or (), rights)
    department, role = _checked_department(dbsession, department_id, role_id, rights)
    user.password_hash = hash_password(password)
    user.must_change_password = must_change_password
    user.groups = list(groups or []) + chosen
    if department is not None:
        _place(user, department, role)
    dbsession.add(user)
    dbsession.flush()
    return user


def update_user(
    dbsession: Session,
    user: User,
    *,
    submitted_version: int | None,
    name: str,
    login: str,
    email: str,
    password: str | None,
    password_min_length: int,
    must_change_password: bool,
    efficiency: float | None,
    rate: float | None,
    group_ids: Iterable[int] | None,
    department_id: int | None,
    role_id: int | None,
    rights: AssignmentRights,
) -> User:
    """Save an edit made on the page loaded at ``submitted_version``.

    A blank ``password`` keeps the current one; ``group_ids`` None keeps the groups; a department
    adds the user to it, or gives them ``role_id`` there if they are already a member.
    """
    check_version(user, submitted_version, "This user")
    account = _checked_account(
        dbsession,
        exclude_id=user.id,
        name=name,
        login=login,
        email=email,
        efficiency=efficiency,
        rate=rate,
    )
    admin = rights.admin_group_name
    if password:
        if _is_admin(user.groups, admin) and not rights.may_manage_admins:
            raise ValidationError(
                f"Only someone allowed to update permissions may change the password of a "
                f"member of {admin}.",
                "password",
            )
        check_password_rules(password, account.login, password_min_length)
    groups = (
        user.groups
        if group_ids is None
        else _checked_groups(dbsession, user.groups, group_ids, rights)
    )
    if _is_admin(user.groups, admin) and not _is_admin(groups, admin):
        _refuse_last_admin(dbsession, user, admin, "group_ids")
    department, role = _checked_department(dbsession, department_id, role_id, rights)
    for key in ("name", "login", "email", "efficiency", "rate"):
        setattr(user, key, getattr(account, key))
    user.must_change_password = must_change_password
    if password:
        user.password_hash = hash_password(password)
    if group_ids is not None:
        user.groups = groups
    if department is not None:
        _place(user, department, role)
    dbsession.flush()
    return user


def set_user_active(
    dbsession: Session, user: User, *, active: bool, acting_user_id: int, rights: AssignmentRights
) -> None:
    """Activate or deactivate ``user``; a deactivated user can neither log in nor use a session.

    Nobody may deactivate themselves or the last active member of the admin group.
    """
    admin = rights.admin_group_name
    if not active and user.id == acting_user_id:
        raise ValidationError("You cannot deactivate your own account; ask another administrator.")
    if _is_admin(user.groups, admin) and not rights.may_manage_admins:
        action = "activate" if active else "deactivate"
        raise ValidationError(
            f"Only someone allowed to update permissions may {action} a member of {admin}."
        )
    if not active and _is_admin(user.groups, admin):
        _refuse_last_admin(dbsession, user, admin)
    user.is_active = active
    dbsession.flush()


def change_password(
    dbsession: Session,
    user: User,
    *,
    current_password: str,
    new_password: str,
    password_min_length: int,
) -> None:
    """Replace the user's password once the current one is confirmed; ends a forced change."""
    if not verify_password(user.password_hash, current_password or ""):
        raise ValidationError("That is not your current password.", "current_password")
    check_password_rules(new_password, user.login, password_min_length, field="new_password")
    if new_password == current_password:
        raise ValidationError("Choose a password different from the current one.", "new_password")
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    dbsession.flush()


def update_profile(
    dbsession: Session, user: User, *, submitted_version: int | None, name: str, email: str
) -> User:
    """Save the user's own name and e-mail, edited on the page loaded at ``submitted_version``."""
    check_version(user, submitted_version, "Your profile")
    account = _checked_account(
        dbsession,
        exclude_id=user.id,
        name=name,
        login=user.login,
        email=email,
        efficiency=user.efficiency,
        rate=user.rate,
    )
    user.name = account.name
    user.email = account.email
    dbsession.flush()
    return user
