"""Groups: creating, editing and deleting them, and managing their members."""

from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ...models import Group, User
from ...models.user import group_users
from ...pagination import Page, paginate
from ..errors import ValidationError, check_version
from ..names import checked_unique_name
from .studio_rights import StudioRights, may_hand_out, reach_refusal
from .users import user_to_add


@dataclass
class GroupSummary:
    """A group as the list shows it: how many members and permission rows it has."""

    group: Group
    member_count: int
    permission_count: int


@dataclass
class GroupRoster:
    """What the group page shows: the members, and the active users who could be added (with
    their rights loaded, to tell who is within the acting user's reach)."""

    members: list[User]
    candidates: list[User]


def _with_rights():
    """Loader options for what a user's studio-wide rights are read from."""
    return (
        selectinload(User.permissions),
        selectinload(User.groups).selectinload(Group.permissions),
    )


def is_admin_group(group: Group, admin_group_name: str) -> bool:
    """Whether ``group`` is the studio's admin group, whose members hold every permission."""
    return group.name == admin_group_name


def _counts(dbsession: Session, column, ids: list[int]) -> dict[int, int]:
    """How many association rows hold each of ``ids`` in ``column`` (absent ids hold none)."""
    rows = dbsession.execute(select(column, func.count()).where(column.in_(ids)).group_by(column))
    return {group_id: count for group_id, count in rows}


def group_page(dbsession: Session, number: int) -> Page:
    """One page of groups by name as :class:`GroupSummary` items, in four queries."""
    page = paginate(dbsession, select(Group).order_by(func.lower(Group.name), Group.id), number)
    ids = [group.id for group in page.items]
    if not ids:
        return page
    members = _counts(dbsession, group_users.c.group_id, ids)
    permissions = _counts(dbsession, Group.permissions.property.secondary.c.entity_id, ids)
    summaries = [
        GroupSummary(group, members.get(group.id, 0), permissions.get(group.id, 0))
        for group in page.items
    ]
    return replace(page, items=summaries)


def load_group(dbsession: Session, group_id: int) -> Group:
    """The group with its members and permission rows loaded (for its page)."""
    return dbsession.scalars(
        select(Group)
        .where(Group.id == group_id)
        .options(selectinload(Group.users), selectinload(Group.permissions))
    ).one()


def load_roster(dbsession: Session, group: Group, *, with_candidates: bool) -> GroupRoster:
    """The members of ``group`` by name; with the active non-members if asked, and then with
    everyone's rights loaded (a fixed number of queries)."""
    group = load_group(dbsession, group.id)
    if not with_candidates:
        return GroupRoster(list(group.users), [])
    member_ids = select(group_users.c.user_id).where(group_users.c.group_id == group.id)
    members = dbsession.scalars(
        select(User).where(User.id.in_(member_ids)).options(*_with_rights())
    ).all()
    candidates = dbsession.scalars(
        select(User)
        .where(User.is_active.is_(True), User.id.not_in(member_ids))
        .options(*_with_rights())
        .order_by(User.name, User.id)
    )
    return GroupRoster(sorted(members, key=lambda user: (user.name, user.id)), list(candidates))


def create_group(dbsession: Session, *, name: str, description: str = "") -> Group:
    """Create a group without members or permissions; the name is required and unique."""
    group = Group(
        name=checked_unique_name(dbsession, Group, name, None, "group"),
        description=(description or "").strip(),
    )
    dbsession.add(group)
    dbsession.flush()
    return group


def update_group(
    dbsession: Session,
    group: Group,
    *,
    submitted_version: int | None,
    name: str,
    description: str,
    admin_group_name: str,
) -> Group:
    """Rename or re-describe a group; the admin group keeps the name the configuration gives it."""
    check_version(group, submitted_version, "This group")
    cleaned = checked_unique_name(dbsession, Group, name, group.id, "group")
    if is_admin_group(group, admin_group_name) and cleaned != group.name:
        raise ValidationError(
            f"The {group.name} group cannot be renamed: the studio configuration names it as "
            "the group holding every permission.",
            "name",
        )
    group.name = cleaned
    group.description = (description or "").strip()
    dbsession.flush()
    return group


def delete_group(dbsession: Session, group: Group, *, admin_group_name: str) -> None:
    """Delete a group; its members lose its permissions but keep their accounts."""
    if is_admin_group(group, admin_group_name):
        raise ValidationError(
            f"The {group.name} group cannot be deleted: the studio needs a group of administrators."
        )
    members = list(group.users)
    dbsession.delete(group)
    dbsession.flush()
    for user in members:
        dbsession.expire(user, ["groups"])


def _check_membership_change(
    group: Group, user: User, actor: StudioRights, admin_group_name: str, change: str
) -> None:
    """Refuse a membership change by someone who may not hand ``group`` out (they lack a right
    its rows name) or who may not reach ``user`` (who holds a right they lack)."""
    if not may_hand_out(actor, group, admin_group_name):
        raise ValidationError(
            f"Changing the members of {group.name} needs every right the group grants or "
            "denies (for the admin group, the right to update permissions)."
        )
    refusal = reach_refusal(actor, user, change, admin_group_name)
    if refusal:
        raise ValidationError(refusal, "user_id")


def add_member(
    dbsession: Session,
    group: Group,
    *,
    user_id: int | None,
    actor: StudioRights,
    admin_group_name: str,
) -> User:
    """Add an active user who is not yet a member; returns that user. ``actor`` (what the acting
    user holds) must hold every right the group names and every right the user holds."""
    user = user_to_add(dbsession, user_id)
    if user in group.users:
        raise ValidationError(f"{user.name} is already a member of {group.name}.", "user_id")
    _check_membership_change(group, user, actor, admin_group_name, "change the groups of")
    group.users.append(user)
    dbsession.flush()
    return user


def remove_member(
    dbsession: Session,
    group: Group,
    *,
    user_id: int,
    actor: StudioRights,
    admin_group_name: str,
) -> User:
    """Remove a member (the account stays); the admin group keeps at least one active member.
    ``actor`` must hold every right the group names and every right the member holds."""
    user = dbsession.get(User, user_id)
    if user is None or user not in group.users:
        raise ValidationError(
            f"That user is not a member of {group.name}; reload the page to see its members."
        )
    _check_membership_change(group, user, actor, admin_group_name, "change the groups of")
    if is_admin_group(group, admin_group_name) and user.is_active:
        others = [member for member in group.users if member.is_active and member is not user]
        if not others:
            raise ValidationError(
                f"{user.name} is the last active member of {group.name}; add another "
                "administrator first, or nobody could manage the studio."
            )
    group.users.remove(user)
    dbsession.flush()
    return user
