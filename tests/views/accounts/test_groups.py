"""Group pages through the real forms: list, create, view, edit, delete and members."""

import pytest
from sqlalchemy import select

from stalker_web.models import Group, User

from ...conftest import login
from ...factories.accounts import cheap_users
from ...pages import csrf_token, form_posting_to


def view_url(group) -> str:
    return f"http://example.com/groups/{group.id}"


def remove_url(group, user) -> str:
    return f"http://example.com/groups/{group.id}/members/{user.id}/remove"


def group_named(dbsession, name: str) -> Group | None:
    return dbsession.scalars(select(Group).where(Group.name == name)).one_or_none()


# The list


def test_list_shows_each_group_with_members_and_permission_rows(admin_app, factory):
    factory.group(
        "Animators",
        users=[factory.user(), factory.user()],
        permissions=[
            factory.permission("Allow", "List", "User"),
            factory.permission("Deny", "Delete", "User"),
        ],
    )
    factory.group("Empty Crew")
    page = admin_app.get("/groups")
    rows = {
        row.th.a.get_text(strip=True): [cell.get_text(strip=True) for cell in row("td")]
        for row in page.html.find("table", id="groups").tbody("tr")
    }
    assert rows["Animators"] == ["2", "2"]
    assert rows["Empty Crew"] == ["0", "0"]
    assert page.html.find("a", string="New group") is not None


def test_list_without_create_permission_hides_the_new_button(testapp, factory):
    login(testapp, factory.user_allowed("List_Group").login)
    page = testapp.get("/groups")
    assert page.html.find("a", string="New group") is None


def test_list_is_forbidden_without_list_permission(testapp, factory):
    login(testapp, factory.user().login)
    testapp.get("/groups", status=403)


def test_list_query_count_does_not_grow_with_groups_members_or_rows(
    admin_app, factory, dbsession, count_queries
):
    users = cheap_users(dbsession, 3)
    rows = [factory.permission("Allow", "List", "User"), factory.permission("Deny", "Read", "Role")]

    def add_groups(count):
        for _ in range(count):
            factory.group(users=users, permissions=rows)

    add_groups(3)
    with count_queries() as few:
        admin_app.get("/groups")
    add_groups(27)
    with count_queries() as many:
        page = admin_app.get("/groups")
    assert len(page.html.find("table", id="groups").tbody("tr")) >= 30
    assert many.count == few.count


# Creating


def test_create_group_redirects_to_its_page(admin_app, dbsession):
    form = admin_app.get("/groups/new").forms["group-form"]
    form["name"] = "  Look   Dev "
    form["description"] = "Shading artists."
    page = form.submit(status=303).follow()
    group = group_named(dbsession, "Look Dev")
    assert page.request.url == view_url(group)
    assert "Group Look Dev created." in page.text
    assert "Shading artists." in page.text


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "A name is required."),
        ("x" * 300, "256 characters"),
        ("ADMINS", "A group named &#39;ADMINS&#39; already exists."),
    ],
)
def test_create_group_with_a_bad_name_is_refused(admin_app, dbsession, name, message):
    before = dbsession.scalars(select(Group.id)).all()
    form = admin_app.get("/groups/new").forms["group-form"]
    form["name"] = name
    page = form.submit(status=400)
    assert message in page.text
    assert dbsession.scalars(select(Group.id)).all() == before


def test_create_group_is_forbidden_without_permission(testapp, factory):
    login(testapp, factory.user_allowed("List_Group").login)
    testapp.get("/groups/new", status=403)
    testapp.post("/groups/new", {"csrf_token": csrf_token(testapp), "name": "X"}, status=403)
    assert group_named(testapp.extra_environ["app.dbsession"], "X") is None


def test_create_group_without_the_csrf_token_is_refused(admin_app, dbsession):
    admin_app.post("/groups/new", {"name": "Forged"}, status=400)
    assert group_named(dbsession, "Forged") is None


# The group page


def test_group_page_shows_members_summary_and_controls(admin_app, factory):
    ana = factory.user(name="Ana Artist", login="ana")
    group = factory.group(
        "Animators", users=[ana], permissions=[factory.permission("Allow", "List", "User")]
    )
    group.description = "Everyone who animates."
    page = admin_app.get(view_url(group))
    assert "Everyone who animates." in page.text
    row = page.html.find("table", id="members").tbody.tr
    assert row.th.get_text(" ", strip=True) == "Ana Artist"
    assert "ana" in row.get_text()
    assert remove_url(group, ana) in [form.action for form in page.forms.values()]
    assert "member-add-form" in page.forms
    assert page.html.find(id="permission-summary").get_text(" ", strip=True) == "Allow List User"
    assert page.html.find("a", string="Edit the permission matrix") is not None
    assert page.html.find("button", string="Delete group") is not None


def test_group_page_for_a_reader_shows_members_without_controls(testapp, factory):
    group = factory.group(users=[factory.user(name="Ana Artist")])
    login(testapp, factory.user_allowed("Read_Group").login)
    page = testapp.get(view_url(group))
    assert "Ana Artist" in page.text
    assert list(page.forms) == [0]  # only the logout form
    assert page.html.find("a", string="Edit") is None
    assert page.html.find("a", string="See the permission matrix") is None


def test_group_page_is_forbidden_without_read_permission(testapp, factory):
    group = factory.group()
    login(testapp, factory.user().login)
    testapp.get(view_url(group), status=403)


def test_group_page_of_an_unknown_group_is_not_found(admin_app):
    admin_app.get("/groups/999999", status=404)


def test_group_page_query_count_does_not_grow_with_members(
    admin_app, factory, dbsession, count_queries
):
    group = factory.group(users=cheap_users(dbsession, 3))
    with count_queries() as few:
        admin_app.get(view_url(group))
    group.users.extend(cheap_users(dbsession, 27))
    dbsession.flush()
    with count_queries() as many:
        page = admin_app.get(view_url(group))
    assert len(page.html.find("table", id="members").tbody("tr")) == 30
    assert many.count == few.count


# Editing


def test_edit_group_saves_and_returns_to_its_page(admin_app, factory, dbsession):
    group = factory.group("Comp")
    form = admin_app.get(f"/groups/{group.id}/edit").forms["group-form"]
    form["name"] = "Compositing"
    form["description"] = "Nuke artists."
    page = form.submit(status=303).follow()
    assert "Group Compositing saved." in page.text
    assert (group.name, group.description) == ("Compositing", "Nuke artists.")


def test_edit_group_on_a_stale_page_is_refused(admin_app, factory, dbsession):
    group = factory.group("Comp")
    form = admin_app.get(f"/groups/{group.id}/edit").forms["group-form"]
    group.description = "Changed meanwhile."
    dbsession.flush()
    form["name"] = "Compositing"
    page = form.submit(status=400)
    assert "changed by someone else" in page.text
    assert group.name == "Comp"


def test_edit_group_with_a_blank_name_is_refused(admin_app, factory):
    group = factory.group("Comp")
    form = admin_app.get(f"/groups/{group.id}/edit").forms["group-form"]
    form["name"] = " "
    page = form.submit(status=400)
    assert "A name is required." in page.text
    assert group.name == "Comp"


def test_the_admin_group_cannot_be_renamed(admin_app, factory):
    admins = factory.admin_group()
    page = admin_app.get(f"/groups/{admins.id}/edit")
    assert "its name cannot change" in page.text
    form = page.forms["group-form"]
    form["name"] = "Superusers"
    page = form.submit(status=400)
    assert "cannot be renamed" in page.text
    assert admins.name == "admins"


def test_edit_group_is_forbidden_without_permission(testapp, factory):
    group = factory.group("Comp")
    login(testapp, factory.user_allowed("Read_Group").login)
    testapp.get(f"/groups/{group.id}/edit", status=403)
    testapp.post(
        f"/groups/{group.id}/edit",
        {"csrf_token": csrf_token(testapp), "name": "X", "version_id": group.version_id},
        status=403,
    )
    assert group.name == "Comp"


# Deleting


def test_delete_group_returns_to_the_list(admin_app, factory, dbsession):
    member = factory.user()
    group = factory.group("Temporary", users=[member])
    page = admin_app.get(view_url(group))
    page = form_posting_to(page, f"{view_url(group)}/delete").submit(status=303).follow()
    assert "Group Temporary deleted; its members keep their accounts." in page.text
    assert group_named(dbsession, "Temporary") is None
    assert dbsession.get(User, member.id) is not None


def test_the_admin_group_cannot_be_deleted(admin_app, factory, dbsession):
    admins = factory.admin_group()
    assert admin_app.get(view_url(admins)).html.find("button", string="Delete group") is None
    page = admin_app.post(
        f"{view_url(admins)}/delete", {"csrf_token": csrf_token(admin_app)}, status=303
    ).follow()
    assert "cannot be deleted" in page.text
    assert group_named(dbsession, "admins") is not None


def test_delete_group_is_forbidden_without_permission(testapp, factory, dbsession):
    group = factory.group("Kept")
    login(testapp, factory.user_allowed("Read_Group", "Update_Group").login)
    testapp.post(f"{view_url(group)}/delete", {"csrf_token": csrf_token(testapp)}, status=403)
    assert group_named(dbsession, "Kept") is not None


# Members


def test_add_member_through_the_form(admin_app, factory):
    ana = factory.user(name="Ana Artist")
    group = factory.group("Animators")
    form = admin_app.get(view_url(group)).forms["member-add-form"]
    form["user_id"] = str(ana.id)
    page = form.submit(status=303).follow()
    assert "Ana Artist added to Animators." in page.text
    assert group.users == [ana]


def test_add_member_offers_only_active_non_members(admin_app, factory):
    member = factory.user(name="Already In")
    retired = factory.user(name="Retired")
    retired.is_active = False
    candidate = factory.user(name="Candidate")
    group = factory.group(users=[member])
    options = [
        value
        for value, _selected, _label in admin_app.get(view_url(group))
        .forms["member-add-form"]["user_id"]
        .options
    ]
    assert str(candidate.id) in options
    assert str(member.id) not in options and str(retired.id) not in options


def test_add_member_without_choosing_a_user_is_refused(admin_app, factory):
    group = factory.group()
    page = admin_app.get(view_url(group)).forms["member-add-form"].submit(status=400)
    assert "Choose a user to add." in page.text
    assert group.users == []


def test_add_member_of_a_deactivated_user_is_refused(admin_app, factory):
    retired = factory.user(name="Retired")
    retired.is_active = False
    group = factory.group()
    page = admin_app.post(
        f"{view_url(group)}/members",
        {"csrf_token": csrf_token(admin_app), "user_id": str(retired.id)},
        status=400,
    )
    assert "Retired is deactivated" in page.text
    assert group.users == []


def test_remove_member_through_its_button(admin_app, factory):
    ana = factory.user(name="Ana Artist")
    group = factory.group("Animators", users=[ana])
    page = admin_app.get(view_url(group))
    page = form_posting_to(page, remove_url(group, ana)).submit(status=303).follow()
    assert "Ana Artist removed from Animators." in page.text
    assert group.users == []


def test_member_changes_are_forbidden_without_update_permission(testapp, factory):
    ana = factory.user()
    group = factory.group(users=[ana])
    login(testapp, factory.user_allowed("Read_Group").login)
    token = csrf_token(testapp)
    testapp.post(f"{view_url(group)}/members", {"csrf_token": token, "user_id": "1"}, status=403)
    testapp.post(remove_url(group, ana), {"csrf_token": token}, status=403)
    assert group.users == [ana]


def test_the_admin_group_members_need_the_right_to_update_permissions(testapp, factory):
    admins = factory.admin_group()
    admin = factory.admin()
    outsider = factory.user()
    manager = factory.user_allowed("Read_Group", "Update_Group")
    login(testapp, manager.login)
    page = testapp.get(view_url(admins))
    assert "member-add-form" not in page.forms
    token = csrf_token(testapp)
    testapp.post(
        f"{view_url(admins)}/members",
        {"csrf_token": token, "user_id": str(manager.id)},
        status=403,
    )
    testapp.post(remove_url(admins, admin), {"csrf_token": token}, status=403)
    assert manager not in admins.users and admin in admins.users
    assert outsider not in admins.users


def test_a_group_granting_rights_the_manager_lacks_cannot_be_joined_through_them(testapp, factory):
    powerful = factory.group(permissions=[factory.permission("Allow", "Update", "Permission")])
    manager = factory.user_allowed("Read_Group", "Update_Group")
    login(testapp, manager.login)
    assert "member-add-form" not in testapp.get(view_url(powerful)).forms
    testapp.post(
        f"{view_url(powerful)}/members",
        {"csrf_token": csrf_token(testapp), "user_id": str(manager.id)},
        status=403,
    )
    assert manager not in powerful.users


def test_a_group_granting_only_rights_the_manager_holds_can_be_joined(testapp, factory):
    readers = factory.group(permissions=[factory.permission("Allow", "Read", "Group")])
    manager = factory.user_allowed("Read_Group", "Update_Group")
    recruit = factory.user()
    login(testapp, manager.login)
    form = testapp.get(view_url(readers)).forms["member-add-form"]
    form["user_id"] = str(recruit.id)
    form.submit(status=303)
    assert recruit in readers.users


def test_a_holder_of_update_permissions_may_change_the_admin_group(testapp, factory):
    admins = factory.admin_group()
    manager = factory.user_allowed("Read_Group", "Update_Group", "Update_Permission")
    recruit = factory.user(name="New Admin")
    login(testapp, manager.login)
    form = testapp.get(view_url(admins)).forms["member-add-form"]
    form["user_id"] = str(recruit.id)
    form.submit(status=303)
    assert recruit in admins.users


def test_removing_the_last_active_admin_is_refused(admin_app, admin, factory):
    admins = factory.admin_group()
    for member in list(admins.users):
        if member is not admin:
            admins.users.remove(member)
    page = admin_app.get(view_url(admins))
    page = form_posting_to(page, remove_url(admins, admin)).submit(status=303).follow()
    assert "is the last active member of admins" in page.text
    assert admins.users == [admin]


def test_an_admin_who_leaves_the_admin_group_goes_home(admin_app, admin, factory):
    admins = factory.admin_group()
    factory.admin()
    response = admin_app.post(
        remove_url(admins, admin), {"csrf_token": csrf_token(admin_app)}, status=303
    )
    assert response.location == "http://example.com/"
    assert admin not in admins.users


def test_a_deny_group_is_joined_and_left_only_by_who_holds_the_denied_rights(testapp, factory):
    no_deleting = factory.group(permissions=[factory.permission("Deny", "Delete", "Project")])
    member, recruit = factory.user(groups=[no_deleting]), factory.user()
    login(testapp, factory.user_allowed("Read_Group", "Update_Group").login)
    page = testapp.get(view_url(no_deleting))
    assert "member-add-form" not in page.forms and page.html.find("button", string="Remove") is None
    token = csrf_token(testapp)
    testapp.post(remove_url(no_deleting, member), {"csrf_token": token}, status=403)
    testapp.post(
        f"{view_url(no_deleting)}/members", {"csrf_token": token, "user_id": recruit.id}, status=403
    )
    assert no_deleting.users == [member]


def test_users_holding_rights_the_manager_lacks_are_neither_offered_nor_removable(testapp, factory):
    artists = factory.group("Artists")
    producer = factory.user_allowed("Delete_Project", name="Paula Producer")
    lead = factory.user_allowed("Delete_Project", name="Lee Lead")
    artists.users.append(lead)
    newcomer = factory.user(name="New Comer")
    login(testapp, factory.user_allowed("Read_Group", "Update_Group").login)
    page = testapp.get(view_url(artists))
    offered = [label for _value, _sel, label in page.forms["member-add-form"]["user_id"].options]
    assert f"New Comer ({newcomer.login})" in offered
    assert not any(label.startswith("Paula Producer") for label in offered)
    row = page.html.find("table", id="members").find("th", string=lambda s: "Lee Lead" in s)
    assert row.parent.find("button") is None
    assert "Holds rights you lack" in row.parent.get_text()
    token = csrf_token(testapp)
    page = testapp.post(
        f"{view_url(artists)}/members", {"csrf_token": token, "user_id": producer.id}, status=400
    )
    assert "Paula Producer holds rights you lack (Delete Project)" in page.text
    page = testapp.post(remove_url(artists, lead), {"csrf_token": token}).follow()
    assert "Lee Lead holds rights you lack" in page.text
    assert artists.users == [lead]
