"""Studio-wide rights of a user, and who may change whose rights."""

import pytest

from stalker_web.services.accounts.permission_matrix import effective_permissions
from stalker_web.services.accounts.studio_rights import (
    StudioRights,
    every_right,
    held_rights,
    may_hand_out,
    reach_refusal,
    rights_text,
)

ADMINS = "admins"


def rows(factory, *specs: str):
    """Permission rows from ``"Allow Update_User"`` specs."""
    result = []
    for spec in specs:
        access, name = spec.split()
        action, class_name = name.split("_", 1)
        result.append(factory.permission(access, action, class_name))
    return result


def acl_allowed(user) -> frozenset[str]:
    """What the real ACL (Pyramid's ACLHelper over the studio ACL) permits ``user``."""
    decisions = effective_permissions(user, ADMINS).decisions
    return frozenset(
        f"{action}_{class_name}" for (class_name, action), d in decisions.items() if d.allowed
    )


CASES = {
    "nothing": ((), ()),
    "group allow": ((), (("Allow Update_User", "Allow List_User"),)),
    "group deny beats another group's allow": (
        (),
        (("Allow Update_User", "Allow List_User"), ("Deny Update_User",)),
    ),
    "own allow beats a group deny": (("Allow Update_User",), (("Deny Update_User",),)),
    "own deny beats a group allow": (("Deny List_User",), (("Allow List_User",),)),
    "own allow and deny: deny wins": (("Allow Read_User", "Deny Read_User"), ()),
    "admin": ((), ("admin",)),
    "admin with an own deny": (("Deny Delete_Project",), ("admin", ("Deny Read_User",))),
}


@pytest.mark.parametrize("case", CASES)
def test_held_rights_agree_with_the_studio_acl(factory, case):
    own, groups = CASES[case]
    user = factory.user()
    user.permissions = rows(factory, *own)
    for group in groups:
        if group == "admin":
            user.groups.append(factory.admin_group())
        else:
            factory.group(users=[user], permissions=rows(factory, *group))
    held = held_rights(user, ADMINS)
    assert held.allowed == acl_allowed(user)
    assert held.is_admin == ("admin" in groups)


def test_held_rights_can_try_other_own_rows(factory):
    user = factory.user()
    factory.group(users=[user], permissions=rows(factory, "Allow List_User", "Deny Update_User"))
    tried = held_rights(user, ADMINS, own_rows=[("Allow", "Update_User"), ("Deny", "List_User")])
    assert tried.allowed == {"Update_User"}
    assert held_rights(user, ADMINS).allowed == {"List_User"}


def test_an_admin_holds_every_right_but_their_own_denies(factory):
    user = factory.admin()
    user.permissions = rows(factory, "Deny Delete_Project")
    held = held_rights(user, ADMINS)
    assert held.allowed == every_right() - {"Delete_Project"}
    assert StudioRights.of_admin().allowed == every_right()


def test_rights_text_names_a_few_then_counts_the_rest():
    assert rights_text(["Update_User", "Delete_Project"]) == "Delete Project, Update User"
    names = [f"{action}_Task" for action in ("Create", "Read", "Update", "Delete", "List")]
    names += ["Read_User", "List_User"]
    assert rights_text(names).endswith(" and 1 more")


# Reach


def test_someone_holding_no_more_than_the_actor_is_in_reach(factory):
    target = factory.user_allowed("List_User")
    actor = StudioRights(frozenset({"List_User", "Update_User"}))
    assert reach_refusal(actor, target, "change the password of", ADMINS) is None
    assert reach_refusal(actor, factory.user(), "change the password of", ADMINS) is None


def test_someone_holding_a_right_the_actor_lacks_is_out_of_reach(factory):
    target = factory.user_allowed("Delete_Project", "Update_User", name="Paula Producer")
    actor = StudioRights(frozenset({"Update_User"}))
    refusal = reach_refusal(actor, target, "change the password of", ADMINS)
    assert refusal == (
        "You may not change the password of Paula Producer: Paula Producer holds rights you "
        "lack (Delete Project). Ask someone who holds them, or an administrator."
    )


def test_an_admin_is_reached_only_by_who_may_update_permissions(factory):
    target = factory.admin()
    refusal = reach_refusal(
        StudioRights(every_right() - {"Update_Permission"}), target, "deactivate", ADMINS
    )
    assert (
        refusal == "Only someone allowed to update permissions may deactivate a member of admins."
    )
    assert (
        reach_refusal(StudioRights(frozenset({"Update_Permission"})), target, "x", ADMINS) is None
    )


# Handing out groups


@pytest.mark.parametrize(
    ("specs", "held", "allowed"),
    [
        (("Allow List_User",), {"List_User"}, True),
        (("Allow List_User", "Allow Delete_User"), {"List_User"}, False),
        (("Deny Delete_Project",), set(), False),
        (("Deny Delete_Project",), {"Delete_Project"}, True),
        ((), set(), True),
    ],
)
def test_a_group_is_handed_out_by_who_holds_every_right_it_names(factory, specs, held, allowed):
    group = factory.group(permissions=rows(factory, *specs))
    assert may_hand_out(StudioRights(frozenset(held)), group, ADMINS) is allowed


def test_the_admin_group_is_handed_out_by_who_may_update_permissions(factory):
    admins = factory.admin_group()
    assert not may_hand_out(StudioRights(every_right() - {"Update_Permission"}), admins, ADMINS)
    assert may_hand_out(StudioRights(frozenset({"Update_Permission"})), admins, ADMINS)


def test_every_right_covers_each_class_and_action():
    assert {"Update_User", "List_AuthenticationLog", "Update_Permission"} <= every_right()
