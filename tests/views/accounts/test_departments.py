"""Department pages through the real forms: list, create, view, edit, delete and members."""

import pytest
from sqlalchemy import select

from stalker_web.models import Department, DepartmentUser, User

from ...conftest import login
from ...factories.accounts import cheap_users
from ...pages import csrf_token, form_posting_to


def memberships(dbsession, department) -> dict[int, str | None]:
    rows = dbsession.scalars(
        select(DepartmentUser).where(DepartmentUser.department_id == department.id)
    )
    return {row.user_id: row.role.name if row.role else None for row in rows}


def view_url(department) -> str:
    return f"http://example.com/departments/{department.id}"


# The list


def test_list_shows_each_department_with_its_member_count_and_leads(admin_app, factory):
    lead = factory.user(name="Bo Lead")
    factory.department(
        "Modeling", members=[(lead, factory.role("Lead")), factory.user(), factory.user()]
    )
    factory.department("Matte Painting")
    page = admin_app.get("/departments")
    rows = {
        row.th.get_text(strip=True): [cell.get_text(" ", strip=True) for cell in row("td")]
        for row in page.html.find("tbody")("tr")
    }
    assert rows["Modeling"] == ["3", "Bo Lead (Lead)"]
    assert rows["Matte Painting"] == ["0", "none"]
    assert page.html.find("a", string="New department") is not None


def test_list_search_keeps_only_matching_names(admin_app, factory):
    factory.department("Modeling")
    factory.department("Animation")
    page = admin_app.get("/departments", {"q": "anim"})
    assert "Animation" in page.text
    assert "Modeling" not in page.text


def test_list_without_create_permission_hides_the_new_button(testapp, factory):
    user = factory.user_allowed("List_Department")
    login(testapp, user.login)
    page = testapp.get("/departments")
    assert page.html.find("a", string="New department") is None


def test_list_is_forbidden_without_list_permission(testapp, factory):
    login(testapp, factory.user().login)
    testapp.get("/departments", status=403)


def test_list_query_count_does_not_grow_with_departments_or_members(
    admin_app, factory, dbsession, count_queries
):
    lead = factory.role("Lead")
    users = cheap_users(dbsession, 3)

    def add_departments(count):
        for _ in range(count):
            factory.department(members=[(users[0], lead), users[1], users[2]])

    add_departments(3)
    with count_queries() as few:
        admin_app.get("/departments")
    add_departments(27)
    with count_queries() as many:
        page = admin_app.get("/departments")
    assert page.text.count("(Lead)") == 30
    assert many.count == few.count


# Creating


def test_create_department_redirects_to_its_page(admin_app, dbsession):
    form = admin_app.get("/departments/new").forms["department-form"]
    form["name"] = "  Look   Dev "
    form["description"] = "Shaders and lighting."
    page = form.submit(status=303).follow()
    department = dbsession.scalars(select(Department).where(Department.name == "Look Dev")).one()
    assert page.request.url == view_url(department)
    assert "Department Look Dev created." in page.text
    assert "Shaders and lighting." in page.text


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "A name is required."), ("x" * 300, "256 characters")],
)
def test_create_department_with_a_bad_name_is_refused(admin_app, dbsession, name, message):
    before = dbsession.scalars(select(Department)).all()
    form = admin_app.get("/departments/new").forms["department-form"]
    form["name"] = name
    page = form.submit(status=400)
    assert message in page.text
    assert dbsession.scalars(select(Department)).all() == before


def test_create_department_with_a_taken_name_is_refused(admin_app, factory, dbsession):
    factory.department("Modeling")
    form = admin_app.get("/departments/new").forms["department-form"]
    form["name"] = "modeling"
    page = form.submit(status=400)
    assert "A department named &#39;modeling&#39; already exists." in page.text
    assert dbsession.scalars(select(Department).where(Department.name == "modeling")).all() == []


def test_create_department_is_forbidden_without_permission(testapp, factory):
    login(testapp, factory.user_allowed("List_Department").login)
    testapp.get("/departments/new", status=403)
    testapp.post("/departments/new", {"csrf_token": csrf_token(testapp), "name": "X"}, status=403)


# The department page


def test_department_page_shows_description_members_and_management_controls(admin_app, factory):
    ana = factory.user(name="Ana Artist", login="ana")
    department = factory.department("Modeling", members=[(ana, factory.role("Artist"))])
    department.description = "Hard surface and organic."
    page = admin_app.get(view_url(department))
    assert "Hard surface and organic." in page.text
    row = page.html.find("table", id="members").find("tbody").tr
    assert row.th.a.get_text(strip=True) == "Ana Artist"
    assert "ana" in row.get_text()
    assert page.forms[f"member-role-{ana.id}"]["role_id"].value == str(factory.role("Artist").id)
    assert "member-add-form" in page.forms
    assert page.html.find("button", string="Delete department") is not None
    assert page.html.find("a", string="Edit") is not None


def test_department_page_for_a_reader_shows_roles_without_controls(testapp, factory):
    ana = factory.user(name="Ana Artist")
    department = factory.department(members=[(ana, factory.role("Artist"))])
    login(testapp, factory.user_allowed("Read_Department").login)
    page = testapp.get(view_url(department))
    assert "Ana Artist" in page.text and "Artist" in page.text
    assert list(page.forms) == [0]  # only the logout form
    assert page.html.find("a", string="Edit") is None


def test_department_page_query_count_does_not_grow_with_members(
    admin_app, factory, dbsession, count_queries
):
    artist = factory.role("Artist")
    department = factory.department()
    for user in cheap_users(dbsession, 3):
        department.memberships.append(DepartmentUser(user=user, role=artist))
    dbsession.flush()
    with count_queries() as few:
        admin_app.get(view_url(department))
    for user in cheap_users(dbsession, 27):
        department.memberships.append(DepartmentUser(user=user, role=artist))
    dbsession.flush()
    with count_queries() as many:
        admin_app.get(view_url(department))
    assert many.count == few.count


def test_unknown_department_is_not_found(admin_app):
    admin_app.get("/departments/999999", status=404)


# Editing


def _edit_form(testapp, department):
    return testapp.get(f"{view_url(department)}/edit").forms["department-form"]


def test_edit_department_saves_and_returns_to_its_page(admin_app, factory):
    department = factory.department("Modeling")
    form = _edit_form(admin_app, department)
    assert form["name"].value == "Modeling"
    form["name"] = "Modelling"
    form["description"] = "Hard surface."
    page = form.submit(status=303).follow()
    assert "Department Modelling saved." in page.text
    assert (department.name, department.description) == ("Modelling", "Hard surface.")


def test_edit_department_with_a_taken_name_is_refused(admin_app, factory):
    factory.department("Animation")
    department = factory.department("Modeling")
    form = _edit_form(admin_app, department)
    form["name"] = "Animation"
    page = form.submit(status=400)
    assert "already exists" in page.text
    assert department.name == "Modeling"


def test_edit_department_on_a_stale_page_is_refused(admin_app, factory, dbsession):
    department = factory.department("Modeling")
    form = _edit_form(admin_app, department)
    department.description = "Changed meanwhile."
    dbsession.flush()
    form["name"] = "Modelling"
    page = form.submit(status=400)
    assert "changed by someone else" in page.text
    assert department.name == "Modeling"


def test_edit_department_is_forbidden_to_a_reader(testapp, factory):
    department = factory.department()
    login(testapp, factory.user_allowed("Read_Department").login)
    testapp.get(f"{view_url(department)}/edit", status=403)


# Deleting


def test_delete_department_removes_memberships_and_keeps_users(admin_app, factory, dbsession):
    user = factory.user()
    department = factory.department("Modeling", members=[user])
    page = admin_app.get(view_url(department))
    form = form_posting_to(page, f"{view_url(department)}/delete")
    page = form.submit(status=303).follow()
    assert page.request.path == "/departments"
    assert "Department Modeling deleted" in page.text
    assert dbsession.scalars(select(Department).where(Department.name == "Modeling")).all() == []
    assert (
        dbsession.scalars(select(DepartmentUser).where(DepartmentUser.user_id == user.id)).all()
        == []
    )
    assert dbsession.get(User, user.id) is not None


def test_delete_department_is_forbidden_without_permission(testapp, factory, dbsession):
    department = factory.department("Modeling")
    login(testapp, factory.user_allowed("Read_Department", "Update_Department").login)
    testapp.post(f"{view_url(department)}/delete", {"csrf_token": csrf_token(testapp)}, status=403)
    assert dbsession.get(Department, department.id) is not None


# Members


def test_add_member_with_a_role(admin_app, factory, dbsession):
    department, ana = factory.department("Modeling"), factory.user(name="Ana Artist")
    form = admin_app.get(view_url(department)).forms["member-add-form"]
    form["user_id"] = str(ana.id)
    form["role_id"] = str(factory.role("Artist").id)
    page = form.submit(status=303).follow()
    assert "Ana Artist added to Modeling." in page.text
    assert memberships(dbsession, department) == {ana.id: "Artist"}


def test_add_member_offers_only_active_non_members(admin_app, factory):
    member, candidate, inactive = factory.user(), factory.user(), factory.user()
    inactive.is_active = False
    department = factory.department(members=[member])
    form = admin_app.get(view_url(department)).forms["member-add-form"]
    offered = {value for value, _, _ in form["user_id"].options}
    assert str(candidate.id) in offered
    assert str(member.id) not in offered and str(inactive.id) not in offered


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("deactivated", "Old Timer is deactivated; activate the account before adding it."),
        ("member", "Old Timer is already a member of Modeling."),
        ("unknown user", "That user does not exist any more"),
        ("unknown role", "That role does not exist any more"),
        ("no user", "Choose a user to add."),
    ],
)
def test_add_member_with_bad_input_is_refused(admin_app, factory, dbsession, case, message):
    old_timer = factory.user(name="Old Timer")
    department = factory.department("Modeling")
    form = admin_app.get(view_url(department)).forms["member-add-form"]
    user_id, role_id = old_timer.id, ""
    if case == "deactivated":
        old_timer.is_active = False
    elif case == "member":
        department.memberships.append(DepartmentUser(user=old_timer))
        dbsession.flush()
    elif case == "unknown user":
        user_id = 10**9
    elif case == "unknown role":
        role_id = 10**9
    elif case == "no user":
        user_id = ""
    before = memberships(dbsession, department)
    form["user_id"].force_value(str(user_id))
    form["role_id"].force_value(str(role_id))
    page = form.submit(status=400)
    assert message in page.text
    assert "member-add-form" in page.forms
    assert memberships(dbsession, department) == before


def test_add_member_error_shows_when_no_user_is_left_to_offer(admin_app, admin, factory):
    ana = factory.user(name="Ana Artist")
    department = factory.department("Modeling", members=[admin, ana])
    page = admin_app.post(
        f"{view_url(department)}/members",
        {"csrf_token": csrf_token(admin_app), "user_id": str(ana.id), "role_id": ""},
        status=400,
    )
    assert "member-add-form" not in page.forms
    assert "Ana Artist is already a member of Modeling." in page.text


def test_change_member_role(admin_app, factory, dbsession):
    ana = factory.user(name="Ana Artist")
    department = factory.department(members=[(ana, factory.role("Artist"))])
    form = admin_app.get(view_url(department)).forms[f"member-role-{ana.id}"]
    form["role_id"] = str(factory.role("Supervisor").id)
    page = form.submit(status=303).follow()
    assert "Ana Artist now has the role Supervisor." in page.text
    assert memberships(dbsession, department) == {ana.id: "Supervisor"}


def test_change_member_role_to_none(admin_app, factory, dbsession):
    ana = factory.user(name="Ana Artist")
    department = factory.department(members=[(ana, factory.role("Artist"))])
    form = admin_app.get(view_url(department)).forms[f"member-role-{ana.id}"]
    form["role_id"] = ""
    assert "now has no role" in form.submit(status=303).follow().text
    assert memberships(dbsession, department) == {ana.id: None}


def test_change_member_role_to_an_unknown_role_is_refused(admin_app, factory, dbsession):
    ana = factory.user()
    department = factory.department(members=[(ana, factory.role("Artist"))])
    form = admin_app.get(view_url(department)).forms[f"member-role-{ana.id}"]
    form["role_id"].force_value("999999999")
    page = form.submit(status=303).follow()
    assert "That role does not exist any more" in page.html.find(class_="flash error").text
    assert memberships(dbsession, department) == {ana.id: "Artist"}


def test_change_role_of_a_non_member_is_refused(admin_app, factory):
    department = factory.department("Modeling")
    outsider = factory.user()
    page = admin_app.post(
        f"{view_url(department)}/members/{outsider.id}",
        {"csrf_token": csrf_token(admin_app), "role_id": ""},
        status=303,
    ).follow()
    assert "not a member of Modeling" in page.text


def test_remove_member_keeps_the_account(admin_app, factory, dbsession):
    ana, bo = factory.user(name="Ana Artist"), factory.user()
    department = factory.department("Modeling", members=[ana, bo])
    page = admin_app.get(view_url(department))
    form = form_posting_to(page, f"{view_url(department)}/members/{ana.id}/remove")
    page = form.submit(status=303).follow()
    assert "Ana Artist removed from Modeling." in page.text
    assert memberships(dbsession, department) == {bo.id: None}
    assert dbsession.get(User, ana.id).is_active


# Department managers (roles that manage their department) without any group permission


@pytest.fixture
def led_department(factory):
    """Modeling with a Lead, an Artist and an outsider who is not a member."""
    lead = factory.user(name="Lea Lead")
    artist = factory.user(name="Art Artist")
    department = factory.department(
        "Modeling", members=[(lead, factory.role("Lead")), (artist, factory.role("Artist"))]
    )
    return department, lead, artist


def test_a_lead_can_view_and_manage_the_members_of_their_department(
    testapp, factory, dbsession, led_department
):
    department, lead, artist = led_department
    newcomer = factory.user(name="New Comer")
    login(testapp, lead.login)
    page = testapp.get(view_url(department))
    assert page.html.find("button", string="Delete department") is None
    form = page.forms["member-add-form"]
    form["user_id"] = str(newcomer.id)
    page = form.submit(status=303).follow()
    form = form_posting_to(page, f"{view_url(department)}/members/{artist.id}/remove")
    form.submit(status=303)
    assert memberships(dbsession, department) == {lead.id: "Lead", newcomer.id: None}


def test_a_lead_cannot_delete_their_department_nor_see_another(
    testapp, factory, dbsession, led_department
):
    department, lead, _ = led_department
    other = factory.department("Animation")
    login(testapp, lead.login)
    testapp.post(f"{view_url(department)}/delete", {"csrf_token": csrf_token(testapp)}, status=403)
    testapp.get(view_url(other), status=403)
    assert dbsession.get(Department, department.id) is not None


def test_a_lead_who_removes_themselves_is_sent_home(testapp, dbsession, led_department):
    department, lead, artist = led_department
    login(testapp, lead.login)
    page = testapp.get(view_url(department))
    form = form_posting_to(page, f"{view_url(department)}/members/{lead.id}/remove")
    assert form.submit(status=303).location == "http://example.com/"
    assert memberships(dbsession, department) == {artist.id: "Artist"}


def test_a_plain_member_cannot_view_or_change_their_department(
    testapp, factory, dbsession, led_department
):
    department, _, artist = led_department
    login(testapp, artist.login)
    testapp.get(view_url(department), status=403)
    token = csrf_token(testapp)
    testapp.post(
        f"{view_url(department)}/members",
        {"csrf_token": token, "user_id": str(factory.user().id), "role_id": ""},
        status=403,
    )
    testapp.post(
        f"{view_url(department)}/members/{artist.id}",
        {"csrf_token": token, "role_id": str(factory.role("Lead").id)},
        status=403,
    )
    assert memberships(dbsession, department)[artist.id] == "Artist"


def test_a_role_manages_its_department_by_its_flag_not_its_name(testapp, factory, dbsession):
    chief = factory.role("Chief", manages_department=True)
    fake_lead = factory.role("Lead Artist", manages_department=False)
    manager, pretender = factory.user(name="Cho Chief"), factory.user(name="Pat Pretender")
    department = factory.department("Modeling", members=[(manager, chief), (pretender, fake_lead)])
    login(testapp, pretender.login)
    testapp.get(view_url(department), status=403)
    login(testapp, manager.login)
    page = testapp.get(view_url(department))
    assert f"member-role-{pretender.id}" in page.forms
    listing = factory.user_allowed("List_Department")
    login(testapp, listing.login)
    row = testapp.get("/departments").html.find("a", string="Modeling").find_parent("tr")
    assert "Cho Chief (Chief)" in row.get_text() and "Pat Pretender" not in row.get_text()


def test_a_manager_who_gives_themselves_a_non_managing_role_is_sent_home(
    testapp, dbsession, led_department, factory
):
    department, lead, _artist = led_department
    login(testapp, lead.login)
    page = testapp.get(view_url(department))
    form = page.forms[f"member-role-{lead.id}"]
    form["role_id"] = str(factory.role("Artist").id)
    assert form.submit(status=303).location == "http://example.com/"
