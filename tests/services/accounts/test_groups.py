"""The groups service: unique names, the protected admin group, members and the list summary."""

import pytest

from stalker_web.models import Group, User
from stalker_web.services.accounts import groups
from stalker_web.services.accounts.studio_rights import StudioRights
from stalker_web.services.errors import ConflictError, ValidationError

ADMINS = "admins"
# An acting user who holds every right (an administrator).
EVERYTHING = {"actor": StudioRights.of_admin(), "admin_group_name": ADMINS}


def test_create_group_cleans_name_and_description(dbsession):
    group = groups.create_group(dbsession, name="  Look   Dev ", description="  shaders  ")
    assert group.id is not None
    assert (group.name, group.description) == ("Look Dev", "shaders")
    assert group.users == [] and group.permissions == []


def test_create_group_requires_a_name(dbsession):
    with pytest.raises(ValidationError) as error:
        groups.create_group(dbsession, name="   ")
    assert (error.value.field, error.value.message) == ("name", "A name is required.")


def test_create_group_refuses_an_overlong_name(dbsession):
    with pytest.raises(ValidationError) as error:
        groups.create_group(dbsession, name="x" * 257)
    assert "at most 256" in error.value.message


def test_create_group_refuses_a_name_taken_in_another_case(dbsession, factory):
    factory.group("Animators")
    with pytest.raises(ValidationError) as error:
        groups.create_group(dbsession, name="ANIMATORS")
    assert error.value.field == "name"
    assert "already exists" in error.value.message


def test_a_group_cannot_pose_as_the_admin_group(dbsession):
    with pytest.raises(ValidationError) as error:
        groups.create_group(dbsession, name="Admins")
    assert "already exists" in error.value.message


def test_update_group_renames_and_redescribes_it(dbsession, factory):
    group = factory.group("Comp")
    groups.update_group(
        dbsession,
        group,
        submitted_version=group.version_id,
        name="Compositing",
        description="Nuke",
        admin_group_name=ADMINS,
    )
    assert (group.name, group.description) == ("Compositing", "Nuke")


def test_update_group_refuses_a_stale_version(dbsession, factory):
    group = factory.group("Comp")
    with pytest.raises(ConflictError):
        groups.update_group(
            dbsession,
            group,
            submitted_version=group.version_id - 1,
            name="Other",
            description="",
            admin_group_name=ADMINS,
        )
    assert group.name == "Comp"


def test_update_group_refuses_a_name_used_by_another_group(dbsession, factory):
    factory.group("Lighting")
    group = factory.group("Comp")
    with pytest.raises(ValidationError) as error:
        groups.update_group(
            dbsession,
            group,
            submitted_version=group.version_id,
            name="lighting",
            description="",
            admin_group_name=ADMINS,
        )
    assert error.value.field == "name"


def test_the_admin_group_cannot_be_renamed(dbsession, factory):
    admins = factory.admin_group()
    with pytest.raises(ValidationError) as error:
        groups.update_group(
            dbsession,
            admins,
            submitted_version=admins.version_id,
            name="Superusers",
            description="",
            admin_group_name=ADMINS,
        )
    assert error.value.field == "name"
    assert "cannot be renamed" in error.value.message
    assert admins.name == ADMINS


def test_the_admin_group_description_can_change(dbsession, factory):
    admins = factory.admin_group()
    groups.update_group(
        dbsession,
        admins,
        submitted_version=admins.version_id,
        name=ADMINS,
        description="The studio's administrators",
        admin_group_name=ADMINS,
    )
    assert admins.description == "The studio's administrators"


def test_delete_group_keeps_its_members_accounts(dbsession, factory):
    user = factory.user()
    group = factory.group(users=[user], permissions=[factory.permission("Allow", "List", "User")])
    groups.delete_group(dbsession, group, admin_group_name=ADMINS)
    assert dbsession.get(Group, group.id) is None
    assert dbsession.get(User, user.id) is not None
    assert user.groups == []


def test_the_admin_group_cannot_be_deleted(dbsession, factory):
    admins = factory.admin_group()
    with pytest.raises(ValidationError) as error:
        groups.delete_group(dbsession, admins, admin_group_name=ADMINS)
    assert "cannot be deleted" in error.value.message
    assert dbsession.get(Group, admins.id) is not None


def test_add_member_adds_an_active_user(dbsession, factory):
    user = factory.user()
    group = factory.group()
    assert groups.add_member(dbsession, group, user_id=user.id, **EVERYTHING) is user
    assert group.users == [user]


def test_add_member_requires_a_user(dbsession, factory):
    with pytest.raises(ValidationError) as error:
        groups.add_member(dbsession, factory.group(), user_id=None, **EVERYTHING)
    assert (error.value.field, error.value.message) == ("user_id", "Choose a user to add.")


def test_add_member_refuses_a_user_who_does_not_exist(dbsession, factory):
    with pytest.raises(ValidationError) as error:
        groups.add_member(dbsession, factory.group(), user_id=999_999, **EVERYTHING)
    assert "does not exist" in error.value.message


def test_add_member_refuses_a_deactivated_user(dbsession, factory):
    user = factory.user(name="Gone Girl")
    user.is_active = False
    group = factory.group()
    with pytest.raises(ValidationError) as error:
        groups.add_member(dbsession, group, user_id=user.id, **EVERYTHING)
    assert "Gone Girl is deactivated" in error.value.message
    assert group.users == []


def test_add_member_refuses_a_member(dbsession, factory):
    user = factory.user()
    group = factory.group(users=[user])
    with pytest.raises(ValidationError) as error:
        groups.add_member(dbsession, group, user_id=user.id, **EVERYTHING)
    assert "already a member" in error.value.message


def test_remove_member_keeps_the_account(dbsession, factory):
    user = factory.user()
    group = factory.group(users=[user])
    groups.remove_member(dbsession, group, user_id=user.id, **EVERYTHING)
    assert group.users == []
    assert dbsession.get(User, user.id) is not None


def test_remove_member_refuses_a_non_member(dbsession, factory):
    with pytest.raises(ValidationError) as error:
        groups.remove_member(dbsession, factory.group(), user_id=factory.user().id, **EVERYTHING)
    assert "not a member" in error.value.message


def test_the_last_active_admin_cannot_be_removed(dbsession, factory):
    admins = factory.admin_group()
    for member in list(admins.users):
        admins.users.remove(member)
    last = factory.admin(name="Last Admin")
    retired = factory.admin()
    retired.is_active = False
    with pytest.raises(ValidationError) as error:
        groups.remove_member(dbsession, admins, user_id=last.id, **EVERYTHING)
    assert "Last Admin is the last active member" in error.value.message
    assert last in admins.users


def test_an_admin_can_be_removed_while_another_active_admin_remains(dbsession, factory):
    admins = factory.admin_group()
    first, second = factory.admin(), factory.admin()
    groups.remove_member(dbsession, admins, user_id=first.id, **EVERYTHING)
    assert first not in admins.users and second in admins.users


def test_a_deactivated_admin_can_be_removed(dbsession, factory):
    admins = factory.admin_group()
    factory.admin()
    retired = factory.admin()
    retired.is_active = False
    groups.remove_member(dbsession, admins, user_id=retired.id, **EVERYTHING)
    assert retired not in admins.users


def test_membership_changes_bump_the_group_version(dbsession, factory):
    group = factory.group()
    before = group.version_id
    groups.add_member(dbsession, group, user_id=factory.user().id, **EVERYTHING)
    assert group.version_id > before


def test_membership_changes_need_every_right_the_group_names(dbsession, factory):
    no_deleting = factory.group(
        "No deleting", permissions=[factory.permission("Deny", "Delete", "Project")]
    )
    member, newcomer = factory.user(groups=[no_deleting]), factory.user()
    lacking = {"actor": StudioRights(frozenset({"Update_Group"})), "admin_group_name": ADMINS}
    with pytest.raises(ValidationError, match="needs every right the group grants or denies"):
        groups.remove_member(dbsession, no_deleting, user_id=member.id, **lacking)
    with pytest.raises(ValidationError, match="needs every right the group grants or denies"):
        groups.add_member(dbsession, no_deleting, user_id=newcomer.id, **lacking)
    assert no_deleting.users == [member]
    holder = StudioRights(frozenset({"Update_Group", "Delete_Project"}))
    groups.remove_member(
        dbsession, no_deleting, user_id=member.id, actor=holder, admin_group_name=ADMINS
    )
    assert no_deleting.users == []


def test_membership_changes_of_someone_out_of_reach_are_refused(dbsession, factory):
    artists = factory.group("Artists")
    producer = factory.user_allowed("Delete_Project", name="Paula Producer")
    actor = {"actor": StudioRights(frozenset({"Update_Group"})), "admin_group_name": ADMINS}
    with pytest.raises(ValidationError, match="Paula Producer holds rights you lack") as error:
        groups.add_member(dbsession, artists, user_id=producer.id, **actor)
    assert error.value.field == "user_id"
    artists.users.append(producer)
    with pytest.raises(ValidationError, match="Paula Producer holds rights you lack"):
        groups.remove_member(dbsession, artists, user_id=producer.id, **actor)
    assert artists.users == [producer]


def test_group_page_counts_members_and_permission_rows(dbsession, factory):
    users = [factory.user(), factory.user()]
    group = factory.group(
        "Aaa First",
        users=users,
        permissions=[
            factory.permission("Allow", "List", "User"),
            factory.permission("Deny", "Delete", "User"),
            factory.permission("Allow", "Read", "Group"),
        ],
    )
    page = groups.group_page(dbsession, 1)
    [summary] = [item for item in page.items if item.group is group]
    assert (summary.member_count, summary.permission_count) == (2, 3)


def test_group_page_lists_groups_by_name(dbsession, factory):
    factory.group("Zz Last")
    factory.group("Aa First")
    names = [item.group.name for item in groups.group_page(dbsession, 1).items]
    assert names.index("Aa First") < names.index("Zz Last")


def test_load_roster_lists_members_and_active_non_members(dbsession, factory):
    member = factory.user(name="Member")
    outsider = factory.user(name="Outsider")
    retired = factory.user(name="Retired")
    retired.is_active = False
    group = factory.group(users=[member])
    roster = groups.load_roster(dbsession, group, with_candidates=True)
    assert roster.members == [member]
    assert outsider in roster.candidates
    assert member not in roster.candidates and retired not in roster.candidates


def test_load_roster_without_candidates_skips_them(dbsession, factory):
    group = factory.group(users=[factory.user()])
    roster = groups.load_roster(dbsession, group, with_candidates=False)
    assert roster.candidates == []
    assert len(roster.members) == 1
