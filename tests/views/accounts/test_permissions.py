"""The permission matrix pages, and proof that permission rows really grant and deny access."""

import pytest
import webtest
from pyramid.testing import DummyRequest
from sqlalchemy.orm import object_session

from stalker_web.models.permission import ACTIONS, permission_class_names
from stalker_web.resources import StudioRoot
from stalker_web.security import SecurityPolicy, principals_for, studio_acl
from stalker_web.services.accounts.user_rights import load_user_rights

from ...conftest import login


def matrix_url(group) -> str:
    return f"http://example.com/groups/{group.id}/permissions"


def user_permissions_url(user) -> str:
    return f"http://example.com/users/{user.id}/permissions"


def triples(holder) -> set[tuple[str, str, str]]:
    return {(row.access, row.action, row.class_name) for row in holder.permissions}


def second_browser(testapp) -> webtest.TestApp:
    """Another browser (its own cookies) on the same app and test transaction."""
    return webtest.TestApp(testapp.app, extra_environ=testapp.extra_environ)


def effective_cell(page, class_name: str, action: str) -> str:
    return page.html.find(id=f"effective-{class_name}-{action}").get_text(" ", strip=True)


# The group matrix editor


def test_matrix_shows_a_select_per_class_and_action_with_the_current_rows(admin_app, factory):
    group = factory.group(permissions=[factory.permission("Deny", "Delete", "User")])
    form = admin_app.get(matrix_url(group)).forms["permission-matrix"]
    for class_name in permission_class_names():
        for action in ACTIONS:
            assert f"cell.{class_name}.{action}" in form.fields
    assert form["cell.User.Delete"].value == "Deny"
    assert form["cell.User.List"].value == ""
    assert [value for value, _sel, _label in form["cell.User.List"].options] == [
        "",
        "Allow",
        "Deny",
    ]


def test_saving_the_matrix_replaces_the_group_rows(admin_app, factory):
    group = factory.group("Animators", permissions=[factory.permission("Deny", "Delete", "User")])
    version = group.version_id
    form = admin_app.get(matrix_url(group)).forms["permission-matrix"]
    form["cell.User.Delete"] = ""
    form["cell.User.List"] = "Allow"
    form["cell.Group.Update"] = "Deny"
    page = form.submit(status=303).follow()
    assert page.request.url == f"http://example.com/groups/{group.id}"
    assert "Permissions of Animators saved." in page.text
    assert triples(group) == {("Allow", "List", "User"), ("Deny", "Update", "Group")}
    assert group.version_id > version


def test_a_stale_matrix_is_refused_and_nothing_is_saved(admin_app, factory, dbsession):
    group = factory.group(permissions=[factory.permission("Allow", "List", "User")])
    form = admin_app.get(matrix_url(group)).forms["permission-matrix"]
    group.description = "Edited in another tab."
    dbsession.flush()
    form["cell.User.List"] = ""
    page = form.submit(status=400)
    assert "changed by someone else" in page.text
    assert page.forms["permission-matrix"]["cell.User.List"].value == ""
    assert triples(group) == {("Allow", "List", "User")}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cell.Spaceship.List", "Allow", "There is no class &#39;Spaceship&#39;"),
        ("cell.User.Approve", "Allow", "&#39;Approve&#39; is not an action"),
        ("cell.User", "Allow", "&#39;&#39; is not an action"),
        ("cell.User.List", "Always", "&#39;Always&#39; is not a choice for List User"),
    ],
)
def test_a_forged_cell_is_refused_and_nothing_is_saved(admin_app, factory, field, value, message):
    group = factory.group(permissions=[factory.permission("Allow", "Read", "User")])
    form = admin_app.get(matrix_url(group)).forms["permission-matrix"]
    form["cell.Group.List"] = "Allow"
    fields = [(name, val) for name, val in form.submit_fields() if name != field]
    page = admin_app.post(matrix_url(group), [*fields, (field, value)], status=400)
    assert message in page.text
    assert triples(group) == {("Allow", "Read", "User")}


def test_a_permission_reader_sees_the_matrix_without_a_form(testapp, factory):
    group = factory.group(permissions=[factory.permission("Allow", "List", "User")])
    login(testapp, factory.user_allowed("Read_Permission").login)
    page = testapp.get(matrix_url(group))
    assert "permission-matrix" not in page.forms
    assert page.html.find("table", class_="matrix").find("span", class_="allow") is not None


def test_saving_the_matrix_is_forbidden_without_update_permission(testapp, factory):
    group = factory.group()
    login(testapp, factory.user_allowed("Read_Permission").login)
    token = testapp.get(matrix_url(group)).html.find("input", attrs={"name": "csrf_token"})["value"]
    testapp.post(
        matrix_url(group),
        {"csrf_token": token, "version_id": group.version_id, "cell.User.List": "Allow"},
        status=403,
    )
    assert group.permissions == []


def test_the_matrix_is_forbidden_without_read_permission(testapp, factory):
    group = factory.group()
    login(testapp, factory.user_allowed("Read_Group").login)
    testapp.get(matrix_url(group), status=403)


def test_the_admin_group_matrix_says_its_members_hold_everything(admin_app, factory):
    page = admin_app.get(matrix_url(factory.admin_group()))
    assert "hold every permission whatever this matrix says" in page.text


# Rows really grant and deny access, end to end


def test_a_group_allow_saved_in_the_matrix_grants_the_page_at_once(testapp, admin_app, factory):
    artist = factory.user()
    group = factory.group("Coordinators", users=[artist])
    artist_browser = second_browser(testapp)
    login(artist_browser, artist.login)
    artist_browser.get("/groups", status=403)

    form = admin_app.get(matrix_url(group)).forms["permission-matrix"]
    form["cell.Group.List"] = "Allow"
    form.submit(status=303)

    artist_browser.get("/groups", status=200)


def test_an_own_deny_overrides_a_group_allow(testapp, factory):
    user = factory.user_allowed("List_Group")
    user.permissions = [factory.permission("Deny", "List", "Group")]
    login(testapp, user.login)
    testapp.get("/groups", status=403)


def test_a_group_deny_beats_another_groups_allow(testapp, factory):
    user = factory.user_allowed("List_Group")
    factory.group(users=[user], permissions=[factory.permission("Deny", "List", "Group")])
    login(testapp, user.login)
    testapp.get("/groups", status=403)


def test_the_admin_group_gets_every_page(admin_app, factory):
    group = factory.group()
    for url in ("/groups", "/groups/new", f"/groups/{group.id}", matrix_url(group)):
        admin_app.get(url, status=200)


def permits(user, studio_config, permission: str) -> bool:
    """The application's security policy asked about ``permission`` at the studio root."""
    dbsession = object_session(user)
    dbsession.flush()
    rights = load_user_rights(dbsession, user.id)
    request = DummyRequest()
    request.user = user
    request.principals = tuple(principals_for(rights))
    request.studio_acl = tuple(studio_acl(rights, studio_config["accounts"]["admin_group"]))
    return bool(SecurityPolicy().permits(request, StudioRoot(request), permission))


def test_a_group_allow_grants_listing_users(factory, studio_config):
    assert permits(factory.user_allowed("List_User"), studio_config, "List_User")
    assert not permits(factory.user(), studio_config, "List_User")


def test_an_own_deny_overrides_a_group_allow_on_users(factory, studio_config):
    user = factory.user_allowed("List_User")
    user.permissions = [factory.permission("Deny", "List", "User")]
    assert not permits(user, studio_config, "List_User")


def test_a_group_deny_beats_another_groups_allow_on_users(factory, studio_config):
    user = factory.user_allowed("List_User")
    factory.group(users=[user], permissions=[factory.permission("Deny", "List", "User")])
    assert not permits(user, studio_config, "List_User")


def test_the_admin_group_is_permitted_every_class_and_action(factory, studio_config):
    admin = factory.admin()
    assert all(
        permits(admin, studio_config, f"{action}_{class_name}")
        for class_name in permission_class_names()
        for action in ACTIONS
    )


# A user's effective and own permissions


def test_user_page_explains_each_effective_permission(admin_app, factory):
    user = factory.user(name="Ana Artist")
    factory.group(
        "Animators",
        users=[user],
        permissions=[
            factory.permission("Deny", "Delete", "Group"),
            factory.permission("Allow", "Read", "Group"),
            factory.permission("Allow", "List", "Group"),
        ],
    )
    user.permissions = [factory.permission("Deny", "List", "Group")]
    page = admin_app.get(user_permissions_url(user))
    assert effective_cell(page, "Group", "Delete") == "Denied group Animators: Deny"
    assert effective_cell(page, "Group", "Read") == "Allowed group Animators: Allow"
    assert effective_cell(page, "Group", "List") == "Denied own permission: Deny"
    assert effective_cell(page, "User", "Create") == "Denied not granted"
    assert page.forms["user-permission-matrix"]["cell.Group.List"].value == "Deny"


def test_user_page_of_an_admin_names_the_admin_group(admin_app, admin):
    page = admin_app.get(user_permissions_url(admin))
    assert effective_cell(page, "User", "Delete") == "Allowed admins group (all permissions)"


def test_saving_own_rows_changes_the_effective_permissions(admin_app, factory):
    user = factory.user_allowed("List_Group", name="Ana Artist")
    form = admin_app.get(user_permissions_url(user)).forms["user-permission-matrix"]
    form["cell.Group.List"] = "Deny"
    page = form.submit(status=303).follow()
    assert "Own permissions of Ana Artist saved." in page.text
    assert triples(user) == {("Deny", "List", "Group")}
    assert effective_cell(page, "Group", "List") == "Denied own permission: Deny"


def test_denying_yourself_the_right_to_change_permissions_is_refused(admin_app, admin):
    form = admin_app.get(user_permissions_url(admin)).forms["user-permission-matrix"]
    form["cell.Permission.Update"] = "Deny"
    page = form.submit(status=400)
    assert "You cannot deny yourself Update on Permission" in page.text
    assert admin.permissions == []


def test_a_stale_save_of_own_rows_is_refused(admin_app, factory, dbsession):
    user = factory.user()
    form = admin_app.get(user_permissions_url(user)).forms["user-permission-matrix"]
    user.rate = 12.5
    dbsession.flush()
    form["cell.User.List"] = "Allow"
    page = form.submit(status=400)
    assert "This user was changed by someone else" in page.text
    assert user.permissions == []


def test_user_page_for_a_reader_has_no_form_and_saving_is_forbidden(testapp, factory):
    target = factory.user()
    login(testapp, factory.user_allowed("Read_Permission").login)
    page = testapp.get(user_permissions_url(target))
    assert "user-permission-matrix" not in page.forms
    token = page.html.find("input", attrs={"name": "csrf_token"})["value"]
    testapp.post(
        user_permissions_url(target),
        {"csrf_token": token, "version_id": target.version_id, "cell.User.List": "Allow"},
        status=403,
    )
    assert target.permissions == []


def test_user_page_is_forbidden_without_read_permission(testapp, factory):
    user = factory.user()
    login(testapp, user.login)
    testapp.get(user_permissions_url(user), status=403)


def test_permission_pages_of_unknown_groups_and_users_are_not_found(admin_app):
    admin_app.get("/groups/999999/permissions", status=404)
    admin_app.get("/users/999999/permissions", status=404)


def test_user_page_query_count_does_not_grow_with_groups(
    admin_app, factory, dbsession, count_queries
):
    user = factory.user()
    rows = [factory.permission("Allow", "List", "User"), factory.permission("Deny", "Read", "Role")]
    factory.group(users=[user], permissions=rows)
    admin_app.get(user_permissions_url(user))
    dbsession.expire_all()
    with count_queries() as few:
        admin_app.get(user_permissions_url(user))
    for _ in range(4):
        factory.group(users=[user], permissions=rows)
    dbsession.expire_all()
    with count_queries() as many:
        admin_app.get(user_permissions_url(user))
    assert many.count == few.count


# Nobody hands out, or takes away, rights they do not hold


def test_cells_of_rights_the_editor_lacks_are_read_only_and_kept(testapp, factory):
    group = factory.group(permissions=[factory.permission("Deny", "Delete", "Project")])
    login(testapp, factory.user_allowed("Read_Permission", "Update_Permission").login)
    page = testapp.get(matrix_url(group))
    assert page.html.find(id="matrix-locked-help") is not None
    assert page.html.find("select", id="cell-Project-Delete") is None
    form = page.forms["permission-matrix"]
    assert form["cell.Project.Delete"].value == "Deny"
    form["cell.Permission.Read"] = "Allow"
    form.submit(status=303)
    assert triples(group) == {("Deny", "Delete", "Project"), ("Allow", "Read", "Permission")}
    forged = dict(testapp.get(matrix_url(group)).forms["permission-matrix"].submit_fields())
    forged["cell.Project.Delete"] = ""
    page = testapp.post(matrix_url(group), forged, status=400)
    assert "you do not hold Delete Project" in page.text
    assert ("Deny", "Delete", "Project") in triples(group)


def test_an_admin_edits_every_cell(admin_app, factory):
    page = admin_app.get(matrix_url(factory.group()))
    assert page.html.find(id="matrix-locked-help") is None
    assert page.html.find("select", id="cell-Project-Delete") is not None


def test_the_own_rows_of_someone_out_of_reach_are_shown_read_only(testapp, factory):
    producer = factory.user_allowed("Delete_Project", name="Paula Producer")
    login(testapp, factory.user_allowed("Read_Permission", "Update_Permission").login)
    page = testapp.get(user_permissions_url(producer))
    assert "user-permission-matrix" not in page.forms
    note = page.html.find(id="matrix-note").get_text(" ", strip=True)
    assert note.startswith("You may not change the permissions of Paula Producer")
