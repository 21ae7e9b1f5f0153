"""Who holds what studio-wide, and the one rule for changing someone's rights: you cannot hand out
or take over rights you do not hold.

A user's studio-wide rights are the class-level permissions (``Update_User``, ``Delete_Project``
…) the studio ACL (:func:`stalker_web.security.studio_acl`) grants them: their own rows first
(Deny before Allow), then everything for the admin group, then the groups' Deny rows, then the
groups' Allow rows. Someone holding a right the acting user lacks is out of the acting user's
reach: their password, groups, activation and own permission rows stay as they are. Members of the
admin group hold everything, so only someone allowed to update permissions reaches them.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from ...models import Group, User
from ...models.permission import ACTIONS, permission_class_names
from .user_rights import UserRights

# The right that reaches the admin group (handing it out, and its members' accounts).
UPDATE_PERMISSIONS = "Update_Permission"
# How many missing rights a message names before it says "and N more".
NAMED_RIGHTS = 6


def every_right() -> frozenset[str]:
    """Every class-level right a Permission row can name (``Create_Asset`` … ``List_Version``)."""
    return frozenset(
        f"{action}_{class_name}" for class_name in permission_class_names() for action in ACTIONS
    )


def right_label(name: str) -> str:
    """``Update_User`` as a person reads it: ``Update User``."""
    return name.replace("_", " ", 1)


def rights_text(names: Iterable[str]) -> str:
    """Up to :data:`NAMED_RIGHTS` rights by name, then how many more."""
    labels = sorted(right_label(name) for name in names)
    text = ", ".join(labels[:NAMED_RIGHTS])
    if len(labels) > NAMED_RIGHTS:
        text += f" and {len(labels) - NAMED_RIGHTS} more"
    return text


@dataclass(frozen=True)
class StudioRights:
    """The class-level rights one user holds studio-wide; ``is_admin`` for the admin group."""

    allowed: frozenset[str] = frozenset()
    is_admin: bool = False

    @classmethod
    def of_admin(cls) -> "StudioRights":
        """What a member of the admin group without own Deny rows holds: everything."""
        return cls(every_right(), is_admin=True)

    def holds(self, name: str) -> bool:
        """Whether the right ``name`` (``Update_User``) is held."""
        return name in self.allowed

    def lacking(self, names: Iterable[str]) -> frozenset[str]:
        """Those of ``names`` not held."""
        return frozenset(names) - self.allowed


def held_rights(
    holder: User | UserRights,
    admin_group_name: str,
    own_rows: Iterable[tuple[str, str]] | None = None,
) -> StudioRights:
    """What ``holder`` (a user, or the rights read for a request) holds studio-wide, decided in
    the studio ACL's order.

    ``own_rows`` (``("Allow", "Update_User")`` pairs) stands for the user's own Permission rows,
    to see what a change of them would give; by default the rows they have. Of a user, reads
    ``permissions``, ``groups`` and the groups' ``permissions``.
    """
    if isinstance(holder, User):
        holder = UserRights.of_user(holder, memberships=False)
    if own_rows is None:
        own_rows = [(row.access, row.permission_name) for row in holder.own_permissions]
    own_rows = list(own_rows)
    own_denied = {name for access, name in own_rows if access == "Deny"}
    own_allowed = {name for access, name in own_rows if access == "Allow"} - own_denied
    if holder.in_group(admin_group_name):
        return StudioRights(frozenset((every_right() | own_allowed) - own_denied), is_admin=True)
    group_rows = holder.group_permissions
    group_denied = {row.permission_name for row in group_rows if row.access == "Deny"}
    group_allowed = {row.permission_name for row in group_rows if row.access == "Allow"}
    granted = own_allowed | (group_allowed - group_denied - own_denied)
    return StudioRights(frozenset(granted))


def reach_refusal(
    actor: StudioRights, target: User, change: str, admin_group_name: str
) -> str | None:
    """Why someone holding ``actor`` may not ``change`` (e.g. "change the password of")
    ``target``, or None when they may: ``target`` must hold nothing the actor lacks, and a member
    of the admin group needs an actor allowed to update permissions."""
    held = held_rights(target, admin_group_name)
    if held.is_admin:
        if actor.holds(UPDATE_PERMISSIONS):
            return None
        return (
            f"Only someone allowed to update permissions may {change} a member of "
            f"{admin_group_name}."
        )
    lacking = actor.lacking(held.allowed)
    if not lacking:
        return None
    return (
        f"You may not {change} {target.name}: {target.name} holds rights you lack "
        f"({rights_text(lacking)}). Ask someone who holds them, or an administrator."
    )


def may_hand_out(actor: StudioRights, group: Group, admin_group_name: str) -> bool:
    """Whether someone holding ``actor`` may add members to ``group`` or remove them: they hold
    every right its rows name, Allow (joining grants it) and Deny (leaving lifts it). The admin
    group grants everything, so it takes the right to update permissions."""
    if group.name == admin_group_name:
        return actor.holds(UPDATE_PERMISSIONS)
    return not actor.lacking(row.permission_name for row in group.permissions)
