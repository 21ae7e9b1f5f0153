"""The permission matrix service: saving group and user rows, and explaining effective rights."""

import pytest
from sqlalchemy import func, select

from stalker_web.models import Permission
from stalker_web.models.permission import ACTIONS, permission_class_names
from stalker_web.services.accounts import permission_matrix as matrix
from stalker_web.services.accounts.studio_rights import StudioRights
from stalker_web.services.errors import ConflictError, ValidationError

ADMINS = "admins"
ADMIN = StudioRights.of_admin()


def save_group(dbsession, group, cells, actor=ADMIN):
    matrix.set_group_permissions(
        dbsession, group, submitted_version=group.version_id, cells=cells, actor=actor
    )


def save_user(dbsession, user, cells, actor=ADMIN, acting_user_id=None, **values):
    values.setdefault("submitted_version", user.version_id)
    matrix.set_user_permissions(
        dbsession,
        user,
        cells=cells,
        acting_user_id=acting_user_id,
        actor=actor,
        admin_group_name=ADMINS,
        **values,
    )


def triples(holder) -> set[tuple[str, str, str]]:
    return {(row.access, row.action, row.class_name) for row in holder.permissions}


# The matrix of rows


def test_matrix_of_shows_each_row_in_its_cell(factory):
    group = factory.group(
        permissions=[
            factory.permission("Allow", "List", "User"),
            factory.permission("Deny", "Delete", "Group"),
        ]
    )
    grid = matrix.matrix_of(group)
    assert grid.access("User", "List") == "Allow"
    assert grid.access("Group", "Delete") == "Deny"
    assert grid.access("User", "Create") == ""
    assert grid.class_names == permission_class_names()
    assert grid.actions == ACTIONS


def test_matrix_of_shows_deny_where_a_cell_has_both_rows(factory):
    group = factory.group(
        permissions=[
            factory.permission("Deny", "List", "User"),
            factory.permission("Allow", "List", "User"),
        ]
    )
    assert matrix.matrix_of(group).access("User", "List") == "Deny"


def test_matrix_from_cells_keeps_only_valid_set_cells():
    grid = matrix.matrix_from_cells(
        {("User", "List"): "Allow", ("User", "Read"): "", ("Nope", "List"): "Allow"}
    )
    assert grid.cells == {("User", "List"): "Allow"}


# Saving a group's matrix


def test_saving_replaces_the_group_rows_with_the_set_cells(dbsession, factory):
    group = factory.group(permissions=[factory.permission("Allow", "Delete", "Role")])
    save_group(
        dbsession,
        group,
        {("User", "List"): "Allow", ("User", "Update"): "Deny", ("Role", "Delete"): ""},
    )
    assert triples(group) == {("Allow", "List", "User"), ("Deny", "Update", "User")}


def test_saving_reuses_the_existing_permission_rows(dbsession, factory):
    existing = factory.permission("Allow", "List", "User")
    rows_before = dbsession.scalar(select(func.count()).select_from(Permission))
    group = factory.group()
    save_group(dbsession, group, {("User", "List"): "Allow"})
    assert group.permissions == [existing]
    assert dbsession.scalar(select(func.count()).select_from(Permission)) == rows_before


def test_saving_creates_a_missing_permission_row(dbsession, factory):
    dbsession.delete(factory.permission("Deny", "Read", "Type"))
    dbsession.flush()
    group = factory.group()
    save_group(dbsession, group, {("Type", "Read"): "Deny"})
    [row] = group.permissions
    assert row.id is not None
    assert (row.access, row.action, row.class_name) == ("Deny", "Read", "Type")


def test_saving_bumps_the_group_version_and_update_date(dbsession, factory):
    group = factory.group()
    version, updated = group.version_id, group.date_updated
    save_group(dbsession, group, {("User", "List"): "Allow"})
    assert group.version_id == version + 1
    assert group.date_updated > updated


def test_saving_an_empty_matrix_removes_every_row(dbsession, factory):
    group = factory.group(permissions=[factory.permission("Allow", "List", "User")])
    save_group(dbsession, group, {})
    assert group.permissions == []


def test_a_stale_save_is_refused_and_changes_nothing(dbsession, factory):
    group = factory.group(permissions=[factory.permission("Allow", "List", "User")])
    with pytest.raises(ConflictError) as error:
        matrix.set_group_permissions(
            dbsession, group, submitted_version=group.version_id - 1, cells={}, actor=ADMIN
        )
    assert "changed by someone else" in error.value.message
    assert triples(group) == {("Allow", "List", "User")}


@pytest.mark.parametrize(
    ("cell", "access", "expected"),
    [
        (("Spaceship", "List"), "Allow", "no class 'Spaceship'"),
        (("User", "Approve"), "Allow", "'Approve' is not an action"),
        (("User", ""), "Allow", "'' is not an action"),
        (("User", "List"), "Maybe", "'Maybe' is not a choice for List User"),
    ],
)
def test_an_unknown_cell_or_access_is_refused_and_changes_nothing(
    dbsession, factory, cell, access, expected
):
    group = factory.group(permissions=[factory.permission("Allow", "List", "User")])
    with pytest.raises(ValidationError) as error:
        save_group(dbsession, group, {("Group", "Read"): "Allow", cell: access})
    assert expected in error.value.message
    assert error.value.field is None
    assert triples(group) == {("Allow", "List", "User")}


# Saving a user's own rows


def test_saving_a_users_own_rows_bumps_the_user_version(dbsession, factory):
    user = factory.user()
    version = user.version_id
    save_user(dbsession, user, {("User", "List"): "Deny"})
    assert triples(user) == {("Deny", "List", "User")}
    assert user.version_id == version + 1


def test_a_stale_save_of_user_rows_is_refused(dbsession, factory):
    user = factory.user()
    with pytest.raises(ConflictError) as error:
        save_user(dbsession, user, {}, submitted_version=None)
    assert error.value.message.startswith("This user was changed")


@pytest.mark.parametrize("action", ["Read", "Update"])
def test_nobody_can_deny_themselves_the_right_to_undo_it(dbsession, factory, action):
    admin = factory.admin()
    with pytest.raises(ValidationError) as error:
        save_user(dbsession, admin, {("Permission", action): "Deny"}, acting_user_id=admin.id)
    assert f"cannot deny yourself {action} on Permission" in error.value.message
    assert admin.permissions == []


def test_an_admin_may_deny_another_user_the_right_to_change_permissions(dbsession, factory):
    admin, other = factory.admin(), factory.admin()
    save_user(dbsession, other, {("Permission", "Update"): "Deny"}, acting_user_id=admin.id)
    assert triples(other) == {("Deny", "Update", "Permission")}


# Nobody hands out, or takes away, rights they do not hold


EDITOR = StudioRights(frozenset({"Read_Permission", "Update_Permission", "List_User"}))


def test_a_group_cell_naming_a_right_the_editor_lacks_cannot_change(dbsession, factory):
    group = factory.group(permissions=[factory.permission("Deny", "Delete", "Project")])
    for cells in (
        {("Project", "Delete"): "Deny", ("User", "Update"): "Allow"},
        {},
        {("Project", "Delete"): "Allow"},
    ):
        with pytest.raises(ValidationError) as error:
            save_group(dbsession, group, cells, actor=EDITOR)
        assert error.value.message.startswith(
            "You may only set or clear permissions you hold yourself; you do not hold"
        )
    assert triples(group) == {("Deny", "Delete", "Project")}
    save_group(dbsession, group, {("Project", "Delete"): "Deny", ("User", "List"): "Allow"}, EDITOR)
    assert triples(group) == {("Deny", "Delete", "Project"), ("Allow", "List", "User")}


def test_nobody_raises_their_own_rights(dbsession, factory):
    editor = factory.user_allowed("Read_Permission", "Update_Permission")
    editor.permissions = [factory.permission("Deny", "List", "Project")]
    for cells in ({("User", "Update"): "Allow"}, {}):
        with pytest.raises(ValidationError, match="you do not hold") as error:
            save_user(dbsession, editor, cells, actor=held(editor), acting_user_id=editor.id)
        assert "Update User" in error.value.message or "List Project" in error.value.message
    assert triples(editor) == {("Deny", "List", "Project")}


def test_an_editor_gives_others_only_rights_they_hold(dbsession, factory):
    artist = factory.user()
    with pytest.raises(ValidationError, match="you do not hold Delete Project, Update User"):
        save_user(
            dbsession,
            artist,
            {("User", "List"): "Allow", ("User", "Update"): "Allow", ("Project", "Delete"): "Deny"},
            actor=EDITOR,
        )
    assert artist.permissions == []
    save_user(dbsession, artist, {("User", "List"): "Allow"}, actor=EDITOR)
    assert triples(artist) == {("Allow", "List", "User")}


def test_the_rows_of_someone_out_of_reach_stay(dbsession, factory):
    producer = factory.user_allowed("Delete_Project", name="Paula Producer")
    with pytest.raises(ValidationError, match="You may not change the permissions of Paula"):
        save_user(dbsession, producer, {("User", "List"): "Allow"}, actor=EDITOR)
    assert producer.permissions == []
    admin = factory.admin()
    lacking = StudioRights(frozenset({"List_User"}))
    with pytest.raises(ValidationError, match="may change the permissions of a member of admins"):
        save_user(dbsession, admin, {}, actor=lacking)


def held(user):
    from stalker_web.services.accounts.studio_rights import held_rights

    return held_rights(user, ADMINS)


# Effective permissions


def decide(user, class_name, action):
    return matrix.effective_permissions(user, ADMINS).decision(class_name, action)


def test_nothing_is_granted_without_rows(factory):
    assert decide(factory.user(), "User", "List") == matrix.Decision(False, "not granted")


def test_a_group_allow_grants_and_names_the_group(factory):
    user = factory.user()
    factory.group(
        "Coordinators", users=[user], permissions=[factory.permission("Allow", "List", "User")]
    )
    assert decide(user, "User", "List") == matrix.Decision(True, "group Coordinators: Allow")
    assert decide(user, "User", "Read") == matrix.Decision(False, "not granted")


def test_a_group_deny_beats_another_groups_allow(factory):
    user = factory.user()
    factory.group(
        "Aaa Allowers", users=[user], permissions=[factory.permission("Allow", "List", "User")]
    )
    factory.group(
        "Zzz Deniers", users=[user], permissions=[factory.permission("Deny", "List", "User")]
    )
    assert decide(user, "User", "List") == matrix.Decision(False, "group Zzz Deniers: Deny")


def test_an_own_deny_overrides_a_group_allow(factory):
    user = factory.user()
    user.permissions = [factory.permission("Deny", "List", "User")]
    factory.group(users=[user], permissions=[factory.permission("Allow", "List", "User")])
    assert decide(user, "User", "List") == matrix.Decision(False, "own permission: Deny")


def test_an_own_allow_overrides_a_group_deny(factory):
    user = factory.user()
    user.permissions = [factory.permission("Allow", "List", "User")]
    factory.group(users=[user], permissions=[factory.permission("Deny", "List", "User")])
    assert decide(user, "User", "List") == matrix.Decision(True, "own permission: Allow")


def test_the_admin_group_is_granted_everything(factory):
    admin = factory.admin()
    effective = matrix.effective_permissions(admin, ADMINS)
    assert all(
        effective.decision(class_name, action)
        == matrix.Decision(True, "admins group (all permissions)")
        for class_name in permission_class_names()
        for action in ACTIONS
    )


def test_the_admin_group_beats_another_groups_deny(factory):
    admin = factory.admin()
    factory.group(users=[admin], permissions=[factory.permission("Deny", "List", "User")])
    assert decide(admin, "User", "List") == matrix.Decision(True, "admins group (all permissions)")


def test_an_own_deny_restricts_even_an_admin(factory):
    admin = factory.admin()
    admin.permissions = [factory.permission("Deny", "Delete", "User")]
    assert decide(admin, "User", "Delete") == matrix.Decision(False, "own permission: Deny")
    assert decide(admin, "User", "Update").allowed


def test_load_user_loads_own_rows_groups_and_their_rows(dbsession, factory, count_queries):
    user = factory.user()
    factory.group(users=[user], permissions=[factory.permission("Allow", "List", "User")])
    factory.department(members=[(user, factory.role("Lead"))])
    dbsession.expire_all()
    loaded = matrix.load_user(dbsession, user.id)
    with count_queries() as counter:
        matrix.effective_permissions(loaded, ADMINS)
    assert counter.count == 0
