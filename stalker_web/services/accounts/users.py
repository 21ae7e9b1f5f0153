"""User accounts: creating, editing, activation and passwords, with who may grant what."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Department, DepartmentUser, Group, Role, User
from ..errors import ValidationError, check_version, model_rules
from .authentication import check_current_password
from .passwords import check_password_rules, hash_password
from .roles import chosen_role
from .sessions import revoke_user_sessions
from .studio_rights import UPDATE_PERMISSIONS, StudioRights, may_hand_out, reach_refusal

TEXT_MAX_LENGTH = 256
UPDATE_GROUPS = "Update_Group"
# The profile page does not tell whose an address is: anyone may open it.
EMAIL_UNUSABLE = "This e-mail address cannot be used; choose another or ask an administrator."


@dataclass(frozen=True)
class AssignmentRights:
    """What the acting user may hand out, so nobody can raise anyone's rights (their own included).

    ``held`` is what the acting user holds studio-wide (``studio_rights.held_rights``). Changing
    groups needs the right to update groups, and a group can be given or taken away only by
    someone holding every right its rows name (the admin group: the right to update permissions).
    Someone holding a right the acting user lacks is out of reach: their password, groups and
    active state stay as they are. A department can be given only if its id is in
    ``department_ids``.
    """

    admin_group_name: str = ""
    acting_user_id: int | None = None
    held: StudioRights = StudioRights()
    department_ids: frozenset[int] = frozenset()

    @property
    def may_change_groups(self) -> bool:
        """Whether the acting user may change anyone's groups at all."""
        return self.held.holds(UPDATE_GROUPS)

    @property
    def may_manage_admins(self) -> bool:
        """Whether the acting user may hand out the admin group and reach its members."""
        return self.held.holds(UPDATE_PERMISSIONS)

    def may_hand_out(self, group: Group) -> bool:
        """Whether the acting user may give ``group`` to someone or take it away."""
        return may_hand_out(self.held, group, self.admin_group_name)

    def check_reach(self, user: User, change: str, field: str | None = None) -> None:
        """Refuse to ``change`` (e.g. "change the password of") someone out of reach."""
        refusal = reach_refusal(self.held, user, change, self.admin_group_name)
        if refusal:
            raise ValidationError(refusal, field)


def _check_unique(
    dbsession: Session, login: str, email: str, exclude_id: int | None, email_taken: str | None
) -> None:
    others = select(func.count()).select_from(User)
    if exclude_id is not None:
        others = others.where(User.id != exclude_id)
    if dbsession.scalar(others.where(User.login == login)):
        raise ValidationError(f"The login {login!r} is taken; choose another.", "login")
    if dbsession.scalar(others.where(User.email == email)):
        message = email_taken or f"The e-mail address {email} is used by another user."
        raise ValidationError(message, "email")


def _checked_account(
    dbsession: Session,
    *,
    exclude_id: int | None,
    email_taken: str | None = None,
    unique: bool = True,
    **values,
) -> User:
    """A throwaway User holding ``values`` as the model cleans them; refuses invalid or taken ones.

    Running the model's own validators on a transient object checks everything before the real
    user is touched. ``email_taken`` replaces the message naming a taken address; ``unique``
    False leaves the login and e-mail to be checked by the caller.
    """
    for key in ("name", "login", "email"):
        if len((values[key] or "").strip()) > TEXT_MAX_LENGTH:
            raise ValidationError(f"Use at most {TEXT_MAX_LENGTH} characters.", key)
    for key in ("efficiency", "rate"):
        if values[key] is not None and not math.isfinite(values[key]):
            raise ValidationError("Enter a number such as 1 or 0.5.", key)
    with model_rules():
        account = User(**values)
    if unique:
        _check_unique(dbsession, account.login, account.email, exclude_id, email_taken)
    return account


def check_contract_window(available_from, available_until) -> None:
    """Refuse a contract window (a user's or a scenario's temporary person's) with a date
    without a time zone, or that ends before (or when) it starts."""
    for field, value in (("available_from", available_from), ("available_until", available_until)):
        if value is not None and (not isinstance(value, datetime) or value.tzinfo is None):
            raise ValidationError("Give a date and time with its time zone.", field)
    if available_from and available_until and available_until <= available_from:
        raise ValidationError(
            "The end of the availability must come after its start.", "available_until"
        )


def _is_admin(groups: Iterable[Group], admin_group_name: str) -> bool:
    return any(group.name == admin_group_name for group in groups)


def _checked_groups(
    dbsession: Session, current: list[Group], group_ids: Iterable[int], rights: AssignmentRights
) -> list[Group]:
    """The groups ``group_ids`` name, if the acting user may make that change from ``current``.

    Groups the acting user may not hand out (the admin group for someone who may not manage
    admins) are never offered to them, so a member keeps such a membership whatever they submit.
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
        group.name for group in groups if group not in current and not rights.may_hand_out(group)
    ]
    if withheld_added:
        raise ValidationError(
            f"You may not add users to {', '.join(withheld_added)}: its permissions name rights "
            "you do not hold yourself.",
            "group_ids",
        )
    groups += [group for group in current if group not in groups and not rights.may_hand_out(group)]
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
    return department, chosen_role(dbsession, role_id)


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


def user_to_add(dbsession: Session, user_id: int | None) -> User:
    """The active user a form chose to add to a group, department or project; refused when none
    was chosen, it is gone or deactivated."""
    if user_id is None:
        raise ValidationError("Choose a user to add.", "user_id")
    user = dbsession.get(User, user_id)
    if user is None:
        raise ValidationError(
            "That user does not exist any more; reload the page and choose another.", "user_id"
        )
    if not user.is_active:
        raise ValidationError(
            f"{user.name} is deactivated; activate the account before adding it.", "user_id"
        )
    return user


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
    available_from: datetime | None = None,
    available_until: datetime | None = None,
    groups: list[Group] | None = None,
    group_ids: Iterable[int] | None = None,
    department_id: int | None = None,
    role_id: int | None = None,
    rights: AssignmentRights | None = None,
) -> User:
    """Create a user with a hashed password; refuses taken logins/e-mails and weak passwords.

    ``groups`` come from trusted callers (the CLI, tests). ``group_ids``, ``department_id`` and
    ``role_id`` come from a form and are checked against the acting user's ``rights``.
    ``available_from``/``available_until`` are the contract window (None: open).
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
    check_contract_window(available_from, available_until)
    check_password_rules(password, user.login, password_min_length, email=user.email)
    chosen = _checked_groups(dbsession, [], group_ids or (), rights)
    department, role = _checked_department(dbsession, department_id, role_id, rights)
    user.password_hash = hash_password(password)
    user.must_change_password = must_change_password
    user.available_from, user.available_until = available_from, available_until
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
    must_change_password: bool | None,
    efficiency: float | None,
    rate: float | None,
    group_ids: Iterable[int] | None,
    department_id: int | None,
    role_id: int | None,
    rights: AssignmentRights,
    available_from: datetime | None = None,
    available_until: datetime | None = None,
) -> User:
    """Save an edit made on the page loaded at ``submitted_version``.

    A blank ``password`` keeps the current one; ``group_ids`` or ``must_change_password`` None
    keeps them; a department adds the user to it, or gives them ``role_id`` there if they are
    already a member. The password, the forced change and the groups of someone holding a right
    the acting user lacks stay as they are. A password set here by someone else must be changed
    at the next login, and ends every session of the user.
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
    check_contract_window(available_from, available_until)
    admin = rights.admin_group_name
    if password:
        if user.id == rights.acting_user_id:
            raise ValidationError(
                "Change your own password on your profile page: it asks for the current one.",
                "password",
            )
        rights.check_reach(user, "change the password of", "password")
        check_password_rules(password, account.login, password_min_length, email=account.email)
        must_change_password = True
    elif must_change_password is None:
        must_change_password = user.must_change_password
    elif must_change_password != user.must_change_password:
        rights.check_reach(user, "change the password of", "must_change_password")
    if group_ids is not None and set(group_ids) != {group.id for group in user.groups}:
        rights.check_reach(user, "change the groups of", "group_ids")
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
    user.available_from, user.available_until = available_from, available_until
    user.must_change_password = must_change_password
    if password:
        user.password_hash = hash_password(password)
        revoke_user_sessions(dbsession, user.id)
    if group_ids is not None:
        user.groups = groups
    if department is not None:
        _place(user, department, role)
    dbsession.flush()
    return user


def set_user_active(
    dbsession: Session, user: User, *, active: bool, acting_user_id: int, rights: AssignmentRights
) -> None:
    """Activate or deactivate ``user``; a deactivated user can neither log in nor use a session
    (deactivating ends their sessions).

    Nobody may deactivate themselves or the last active member of the admin group, nor
    (de)activate someone holding a right they lack.
    """
    admin = rights.admin_group_name
    if not active and user.id == acting_user_id:
        raise ValidationError("You cannot deactivate your own account; ask another administrator.")
    rights.check_reach(user, "activate" if active else "deactivate")
    if not active and _is_admin(user.groups, admin):
        _refuse_last_admin(dbsession, user, admin)
    user.is_active = active
    if not active:
        revoke_user_sessions(dbsession, user.id)
    dbsession.flush()


def change_password(
    dbsession: Session,
    user: User,
    *,
    current_password: str,
    new_password: str,
    password_min_length: int,
    remote_addr: str,
    accounts_config: dict,
) -> None:
    """Replace the user's password once the current one is confirmed; ends a forced change.

    A wrong current password is logged and throttled like a failed login (from
    ``remote_addr``, with the ``accounts_config`` limits).
    """
    check_current_password(
        dbsession,
        user,
        current_password,
        remote_addr=remote_addr,
        accounts_config=accounts_config,
    )
    check_password_rules(
        new_password, user.login, password_min_length, field="new_password", email=user.email
    )
    if new_password == current_password:
        raise ValidationError("Choose a password different from the current one.", "new_password")
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    dbsession.flush()


def update_profile(
    dbsession: Session,
    user: User,
    *,
    submitted_version: int | None,
    name: str,
    email: str,
    current_password: str,
    remote_addr: str,
    accounts_config: dict,
) -> User:
    """Save the user's own name and e-mail, edited on the page loaded at ``submitted_version``.

    A new e-mail address needs the current password (a wrong one is logged and throttled like a
    failed login); a taken address is refused without saying whose it is.
    """
    check_version(user, submitted_version, "Your profile")
    account = _checked_account(
        dbsession,
        exclude_id=user.id,
        unique=False,
        name=name,
        login=user.login,
        email=email,
        efficiency=user.efficiency,
        rate=user.rate,
    )
    if account.email != user.email:
        if not current_password:
            raise ValidationError(
                "Enter your current password to change your e-mail address.", "current_password"
            )
        check_current_password(
            dbsession,
            user,
            current_password,
            remote_addr=remote_addr,
            accounts_config=accounts_config,
        )
    _check_unique(dbsession, user.login, account.email, user.id, EMAIL_UNUSABLE)
    user.name = account.name
    user.email = account.email
    dbsession.flush()
    return user
