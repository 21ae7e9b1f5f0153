"""User pages through the real forms: list, CSV export, create, view, edit, (de)activate."""

import csv
import io
from datetime import UTC, datetime

import pytest
import webtest
from sqlalchemy import func, select

from stalker_web.models import DepartmentUser, User
from stalker_web.services.accounts.passwords import verify_password

from ...conftest import login
from ...factories.accounts import cheap_users
from ...pages import button_form, csrf_token

NEW_PASSWORD = "a brand new secret"


def user_named(dbsession, login_name: str) -> User | None:
    return dbsession.scalars(select(User).where(User.login == login_name)).one_or_none()


def user_count(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(User))


def view_url(user) -> str:
    return f"http://example.com/users/{user.id}"


def table_rows(page) -> dict[str, list[str]]:
    return {
        row.th.get_text(strip=True): [cell.get_text(" ", strip=True) for cell in row("td")]
        for row in page.html.find("table", id="users").find("tbody")("tr")
    }


def fill_new_user(form, **values) -> None:
    values = {
        "name": "Ana Artist",
        "login": "ana",
        "email": "ana@example.com",
        "password": NEW_PASSWORD,
        "password_confirmation": NEW_PASSWORD,
        **values,
    }
    for key, value in values.items():
        form[key] = value


# The list


def test_list_shows_each_user_with_departments_groups_state_and_last_login(admin_app, factory):
    bob = factory.user("bob", name="Bob Builder", email="bob@example.com")
    bob.last_login = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    factory.department("Modeling", members=[(bob, factory.role("Lead"))])
    factory.group("Artists", users=[bob])
    page = admin_app.get("/users")
    assert table_rows(page)["Bob Builder"] == [
        "bob",
        "bob@example.com",
        "Modeling (Lead)",
        "Artists",
        "yes",
        "2024-05-01 09:30 UTC",
    ]
    assert page.html.find("a", string="Bob Builder")["href"] == view_url(bob)
    assert page.html.find("a", string="New user") is not None


def test_list_filters_by_search_department_group_and_state(admin_app, factory):
    modeler = factory.user("modeler", name="Mo Deler")
    animator = factory.user("animator", name="Ani Mator")
    gone = factory.user("gone", name="Gone Away")
    gone.is_active = False
    modeling = factory.department("Modeling", members=[modeler, gone])
    group = factory.group("Animators", users=[animator])
    assert set(table_rows(admin_app.get("/users", {"q": "MATOR"}))) == {"Ani Mator"}
    by_department = admin_app.get("/users", {"department_id": modeling.id})
    assert set(table_rows(by_department)) == {"Mo Deler"}
    assert set(table_rows(admin_app.get("/users", {"group_id": group.id}))) == {"Ani Mator"}
    inactive = admin_app.get("/users", {"state": "inactive"})
    assert set(table_rows(inactive)) == {"Gone Away"}
    filters = inactive.forms["user-filters"]
    assert filters["state"].value == "inactive"
    assert "Modeling" in [label for _value, _selected, label in filters["department_id"].options]


def test_list_export_link_keeps_the_filters(admin_app, factory):
    group = factory.group()
    page = admin_app.get("/users", {"q": "ana", "group_id": group.id, "state": "all"})
    href = page.html.find("a", id="export-csv")["href"]
    assert href.startswith("http://example.com/users.csv?")
    assert f"group_id={group.id}" in href and "q=ana" in href and "state=all" in href


def test_list_pages_keep_the_filters(admin_app, dbsession):
    cheap_users(dbsession, 51)
    page = admin_app.get("/users", {"q": "crowd", "state": "all"})
    assert len(table_rows(page)) == 50
    next_href = page.html.find("a", rel="next")["href"]
    assert "q=crowd" in next_href and "state=all" in next_href and "page=2" in next_href
    assert len(table_rows(admin_app.get(next_href))) == 1


def test_list_without_create_permission_hides_the_new_button(testapp, factory):
    login(testapp, factory.user_allowed("List_User").login)
    page = testapp.get("/users")
    assert page.html.find("a", string="New user") is None


def test_list_is_forbidden_without_list_permission(testapp, factory):
    login(testapp, factory.user().login)
    testapp.get("/users", status=403)
    testapp.get("/users.csv", status=403)


def test_list_query_count_does_not_grow_with_users(admin_app, factory, dbsession, count_queries):
    lead = factory.role("Lead")
    department, group = factory.department(), factory.group()

    def add_users(count):
        for user in cheap_users(dbsession, count):
            department.memberships.append(DepartmentUser(user=user, role=lead))
            group.users.append(user)
        dbsession.flush()

    add_users(3)
    with count_queries() as few:
        admin_app.get("/users")
    add_users(27)
    with count_queries() as many:
        page = admin_app.get("/users")
    assert page.text.count("(Lead)") == 30
    assert many.count == few.count


# The CSV export


def test_export_sends_the_filtered_users_as_a_csv_attachment(admin_app, factory):
    bob = factory.user("bob", name="Bob", rate=30)
    factory.department("Modeling", members=[(bob, factory.role("Lead"))])
    factory.user("carla", name="Carla").is_active = False
    response = admin_app.get("/users.csv", {"q": "bo"})
    assert response.content_type == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="users.csv"'
    rows = list(csv.reader(io.StringIO(response.body.decode("utf-8-sig"))))
    assert rows[0][:5] == ["id", "name", "login", "email", "active"]
    assert [row[2] for row in rows[1:]] == ["bob"]
    assert rows[1][5] == "Modeling (Lead)"
    assert rows[1][8] == "30.0"
    everyone = admin_app.get("/users.csv", {"state": "all"}).body.decode("utf-8-sig")
    assert "carla" in everyone


def test_export_neutralises_formulas(admin_app, factory):
    factory.user("evil", name="=cmd|' /C calc'!A0")
    body = admin_app.get("/users.csv", {"q": "evil"}).body.decode("utf-8-sig")
    [_header, row] = list(csv.reader(io.StringIO(body)))
    assert row[1] == "'=cmd|' /C calc'!A0"


# Creating


def test_create_user_flashes_the_normalised_login(admin_app, factory, dbsession):
    department, lead, group = factory.department("Modeling"), factory.role("Lead"), factory.group()
    form = admin_app.get("/users/new").forms["user-form"]
    assert form["must_change_password"].checked
    assert form["efficiency"].value == "1.0" and form["rate"].value == "0.0"
    fill_new_user(form, login=" 12Ana Artist! ", efficiency="0.8", rate="25")
    form["department_id"] = str(department.id)
    form["role_id"] = str(lead.id)
    form["group_ids"] = [str(group.id)]
    page = form.submit(status=303).follow()
    user = user_named(dbsession, "anaartist")
    assert page.request.url == view_url(user)
    assert "User Ana Artist created with the login anaartist." in page.text
    assert user.must_change_password and (user.efficiency, user.rate) == (0.8, 25.0)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert [(m.department, m.role) for m in user.department_memberships] == [(department, lead)]
    assert user.groups == [group]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": ""}, "A name is required."),
        ({"login": "!!!"}, "A login needs at least one letter"),
        ({"email": "nobody"}, "An e-mail address looks like name@example.com."),
        ({"password_confirmation": "something else"}, "The two passwords differ"),
        ({"password": "short", "password_confirmation": "short"}, "Use at least 10 characters."),
        ({"efficiency": "fast"}, "Enter a number such as 1 or 0.5."),
        ({"rate": "-5"}, "Rate cannot be negative."),
        ({"login": "taken"}, "The login &#39;taken&#39; is taken"),
        ({"email": "TAKEN@example.com"}, "used by another user"),
    ],
)
def test_create_user_with_bad_input_is_refused(admin_app, factory, dbsession, values, message):
    factory.user("taken", email="taken@example.com")
    before = user_count(dbsession)
    form = admin_app.get("/users/new").forms["user-form"]
    fill_new_user(form, **values)
    page = form.submit(status=400)
    assert message in page.text
    assert user_count(dbsession) == before


def test_create_user_with_a_role_but_no_department_is_refused(admin_app, factory, dbsession):
    factory.department()
    form = admin_app.get("/users/new").forms["user-form"]
    fill_new_user(form)
    form["role_id"] = str(factory.role("Lead").id)
    page = form.submit(status=400)
    assert "choose the department too" in page.text
    assert user_named(dbsession, "ana") is None


def test_user_managers_are_offered_neither_groups_nor_departments(testapp, factory, dbsession):
    department, group = factory.department(), factory.group()
    login(testapp, factory.user_allowed("Create_User", "Read_User").login)
    form = testapp.get("/users/new").forms["user-form"]
    assert "group_ids" not in form.fields and "department_id" not in form.fields
    fill_new_user(form)
    form.submit(status=303)
    user = user_named(dbsession, "ana")
    assert user.groups == [] and user.department_memberships == []
    token = csrf_token(testapp)
    forged = {
        "csrf_token": token, "name": "Eve", "login": "eve", "email": "eve@example.com",
        "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD, "efficiency": "1",
        "rate": "0", "group_ids": str(group.id), "department_id": str(department.id),
    }  # fmt: skip
    testapp.post("/users/new", forged, status=303)
    eve = user_named(dbsession, "eve")
    assert eve.groups == [] and eve.department_memberships == []


def test_the_admin_group_is_offered_only_to_who_may_update_permissions(testapp, factory, dbsession):
    admins = factory.admin_group()
    factory.group("Artists")
    login(testapp, factory.user_allowed("Create_User", "Update_Group").login)
    form = testapp.get("/users/new").forms["user-form"]
    offered = [label for _value, _selected, label in form["group_ids"].options]
    assert "Artists" in offered and admins.name not in offered
    fill_new_user(form)
    form["group_ids"].force_value([str(admins.id)])
    page = form.submit(status=400)
    assert "Only someone allowed to update permissions may add users to admins." in page.text
    assert user_named(dbsession, "ana") is None


def test_groups_granting_rights_the_user_manager_lacks_are_withheld(testapp, factory, dbsession):
    factory.group("Artists")
    powerful = factory.group(
        "Permission Editors", permissions=[factory.permission("Allow", "Update", "Permission")]
    )
    login(testapp, factory.user_allowed("Create_User", "Update_Group").login)
    form = testapp.get("/users/new").forms["user-form"]
    offered = [label for _value, _selected, label in form["group_ids"].options]
    assert "Artists" in offered and "Permission Editors" not in offered
    fill_new_user(form)
    form["group_ids"].force_value([str(powerful.id)])
    page = form.submit(status=400)
    assert "You may not add users to Permission Editors" in page.text
    assert user_named(dbsession, "ana") is None


def test_a_department_lead_may_create_users_into_their_department_only(testapp, factory, dbsession):
    lead = factory.user_allowed("Create_User", "Read_User")
    mine = factory.department("Mine", members=[(lead, factory.role("Lead"))])
    other = factory.department("Other")
    login(testapp, lead.login)
    form = testapp.get("/users/new").forms["user-form"]
    offered = [label for _value, _selected, label in form["department_id"].options]
    assert offered == ["No department", "Mine"]
    fill_new_user(form)
    form["department_id"].force_value(str(other.id))
    assert "You may not add people to Other." in form.submit(status=400).text
    form["department_id"] = str(mine.id)
    form.submit(status=303)
    assert user_named(dbsession, "ana").departments == [mine]


def test_create_user_is_forbidden_without_permission(testapp, factory, dbsession):
    login(testapp, factory.user_allowed("List_User").login)
    testapp.get("/users/new", status=403)
    testapp.post("/users/new", {"csrf_token": csrf_token(testapp), "name": "X"}, status=403)


def test_create_user_without_the_csrf_token_is_refused(admin_app, dbsession):
    admin_app.post("/users/new", {"name": "Forged", "login": "forged"}, status=400)
    assert user_named(dbsession, "forged") is None


# The user page


def test_user_page_shows_details_memberships_and_actions(admin_app, factory, admin):
    ana = factory.user("ana", name="Ana Artist")
    modeling = factory.department("Modeling", members=[(ana, factory.role("Lead"))])
    group = factory.group("Artists", users=[ana])
    page = admin_app.get(view_url(ana))
    assert page.html.h1.get_text(strip=True) == "Ana Artist"
    departments = page.html.find("ul", id="user-departments")
    assert departments.get_text(" ", strip=True) == "Modeling (Lead)"
    assert departments.a["href"] == f"http://example.com/departments/{modeling.id}"
    assert (
        page.html.find("ul", id="user-groups").a["href"] == f"http://example.com/groups/{group.id}"
    )
    assert page.html.find("a", string="Edit") is not None
    assert page.html.find("button", string="Deactivate") is not None
    assert (
        page.html.find("a", string="Effective permissions")["href"]
        == f"{view_url(ana)}/permissions"
    )


def test_user_page_says_who_created_and_updated_the_account(admin_app, admin, dbsession):
    form = admin_app.get("/users/new").forms["user-form"]
    fill_new_user(form)
    page = form.submit(status=303).follow()
    details = page.html.find("table", id="user-details").get_text(" ", strip=True)
    assert f"by {admin.name}" in details


def test_a_reader_sees_the_user_page_without_actions(testapp, factory):
    ana = factory.user()
    login(testapp, factory.user_allowed("Read_User").login)
    page = testapp.get(view_url(ana))
    assert page.html.find("a", string="Edit") is None
    assert page.html.find("button", string="Deactivate") is None
    assert page.html.find("a", string="Effective permissions") is None


def test_everyone_may_read_their_own_user_page_but_not_others(testapp, factory):
    user, other = factory.user(), factory.user()
    login(testapp, user.login)
    testapp.get(view_url(user), status=200)
    testapp.get(view_url(other), status=403)


def test_user_page_of_an_unknown_user_is_not_found(admin_app):
    admin_app.get("/users/999999", status=404)


# Editing


def test_edit_user_saves_and_keeps_a_blank_password(admin_app, factory, dbsession):
    ana = factory.user("ana", name="Ana")
    old_hash = ana.password_hash
    form = admin_app.get(f"{view_url(ana)}/edit").forms["user-form"]
    assert form["name"].value == "Ana" and form["password"].value == ""
    form["name"] = "Ana Lead"
    form["email"] = "ana.lead@example.com"
    page = form.submit(status=303).follow()
    assert "User Ana Lead saved." in page.text
    assert (ana.name, ana.email, ana.password_hash) == (
        "Ana Lead",
        "ana.lead@example.com",
        old_hash,
    )


def test_edit_user_sets_a_new_password(admin_app, factory):
    ana = factory.user()
    form = admin_app.get(f"{view_url(ana)}/edit").forms["user-form"]
    form["password"] = NEW_PASSWORD
    form["password_confirmation"] = NEW_PASSWORD
    form.submit(status=303)
    assert verify_password(ana.password_hash, NEW_PASSWORD)


def test_edit_user_on_a_stale_page_is_refused(admin_app, factory, dbsession):
    ana = factory.user(name="Ana")
    form = admin_app.get(f"{view_url(ana)}/edit").forms["user-form"]
    ana.rate = 99.0
    dbsession.flush()
    form["name"] = "Stale"
    page = form.submit(status=400)
    assert "changed by someone else" in page.text
    assert ana.name == "Ana"


def test_edit_user_to_a_taken_email_shows_the_error_under_the_field(admin_app, factory):
    factory.user(email="taken@example.com")
    ana = factory.user()
    form = admin_app.get(f"{view_url(ana)}/edit").forms["user-form"]
    form["email"] = "taken@example.com"
    page = form.submit(status=400)
    assert "used by another user" in page.html.find("ul", id="email-errors").text
    assert ana.email != "taken@example.com"


def test_edit_user_changes_groups(testapp, factory):
    artists, old = factory.group("Artists"), factory.group("Old")
    target = factory.user(groups=[old])
    login(testapp, factory.user_allowed("Update_User", "Update_Group").login)
    form = testapp.get(f"{view_url(target)}/edit").forms["user-form"]
    assert form["group_ids"].value == [str(old.id)]
    form["group_ids"] = [str(artists.id)]
    form.submit(status=303)
    assert target.groups == [artists]


def test_an_admins_password_and_groups_need_the_right_to_update_permissions(testapp, factory):
    admins, artists = factory.admin_group(), factory.group("Artists")
    factory.admin()
    target = factory.admin(name="Ada Admin")
    old_hash = target.password_hash
    login(testapp, factory.user_allowed("Update_User", "Update_Group").login)
    page = testapp.get(f"{view_url(target)}/edit")
    notice = page.html.find(id="out-of-reach").get_text(" ", strip=True)
    assert notice == (
        "Only someone allowed to update permissions may change the password, groups or "
        "activation of a member of admins."
    )
    form = page.forms["user-form"]
    assert "password" not in form.fields and "group_ids" not in form.fields
    form["name"] = "Ada Lovelace"
    form.submit(status=303)
    assert target.name == "Ada Lovelace"
    fields = dict(testapp.get(f"{view_url(target)}/edit").forms["user-form"].submit_fields())
    forged = {**fields, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD}
    page = testapp.post(f"{view_url(target)}/edit", forged, status=400)
    assert "may change the password of a member of admins" in page.text
    forged = {**fields, "group_ids": [str(admins.id), str(artists.id)]}
    page = testapp.post(f"{view_url(target)}/edit", forged, status=400)
    assert "may change the groups of a member of admins" in page.text
    assert target.password_hash == old_hash and target.groups == [admins]


def test_my_own_password_is_changed_on_my_profile_not_on_the_user_form(admin_app, admin):
    old_hash = admin.password_hash
    page = admin_app.get(f"{view_url(admin)}/edit")
    form = page.forms["user-form"]
    assert "password" not in form.fields
    assert page.html.find(id="own-password").a["href"] == "http://example.com/profile/password"
    forged = {**dict(form.submit_fields()), "password": NEW_PASSWORD}
    forged["password_confirmation"] = NEW_PASSWORD
    page = admin_app.post(f"{view_url(admin)}/edit", forged, status=400)
    assert "Change your own password on your profile page" in page.text
    assert admin.password_hash == old_hash


def test_edit_user_is_forbidden_without_permission(testapp, factory):
    ana = factory.user(name="Ana")
    login(testapp, factory.user_allowed("Read_User").login)
    testapp.get(f"{view_url(ana)}/edit", status=403)
    token = csrf_token(testapp)
    testapp.post(f"{view_url(ana)}/edit", {"csrf_token": token, "name": "X"}, status=403)
    assert ana.name == "Ana"


# Deactivating and activating


def test_deactivated_user_cannot_log_in_and_their_session_stops_working(
    app, admin_app, factory, testapp
):
    ana = factory.user()
    ana_app = webtest.TestApp(app, extra_environ=testapp.extra_environ)
    login(ana_app, ana.login)
    ana_app.get("/", status=200)
    page = admin_app.get(view_url(ana))
    page = button_form(page, "Deactivate").submit(status=303).follow()
    assert f"{ana.name} is deactivated and can no longer log in." in page.text
    assert not ana.is_active
    assert ana_app.get("/", status=303).location.startswith("http://example.com/login")
    login(webtest.TestApp(app, extra_environ=testapp.extra_environ), ana.login, status=400)


def test_activate_a_deactivated_user(admin_app, factory):
    ana = factory.user()
    ana.is_active = False
    page = admin_app.get(view_url(ana))
    page = button_form(page, "Activate").submit(status=303).follow()
    assert "is active again" in page.text
    assert ana.is_active


def test_deactivating_yourself_is_refused(admin_app, admin, factory):
    factory.admin()
    assert admin_app.get(view_url(admin)).html.find("button", string="Deactivate") is None
    response = admin_app.post(
        f"{view_url(admin)}/deactivate", {"csrf_token": csrf_token(admin_app)}, status=303
    )
    assert "cannot deactivate your own account" in response.follow().text
    assert admin.is_active


def test_deactivating_the_last_active_admin_is_refused(testapp, factory):
    target = factory.admin()
    login(testapp, factory.user_allowed("Read_User", "Update_User", "Update_Permission").login)
    page = testapp.get(view_url(target))
    page = button_form(page, "Deactivate").submit(status=303).follow()
    assert "last active member of admins" in page.text
    assert target.is_active


def test_deactivating_takes_a_post(admin_app, factory):
    ana = factory.user()
    admin_app.get(f"{view_url(ana)}/deactivate", status=404)
    assert ana.is_active


def test_deactivating_is_forbidden_without_permission(testapp, factory):
    ana = factory.user()
    login(testapp, factory.user_allowed("Read_User").login)
    testapp.post(f"{view_url(ana)}/deactivate", {"csrf_token": csrf_token(testapp)}, status=403)
    assert ana.is_active
