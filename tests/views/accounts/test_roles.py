"""Role pages through the real forms: list, create, rename and delete."""

import pytest
from sqlalchemy import select

from stalker_web.models import ProjectUser, Role

from ...conftest import login
from ...pages import csrf_token, form_posting_to


def role_named(dbsession, name: str) -> Role | None:
    return dbsession.scalars(select(Role).where(Role.name == name)).one_or_none()


def role_rows(page) -> dict[str, list[str]]:
    return {
        row.th.get_text(" ", strip=True): [cell.get_text(" ", strip=True) for cell in row("td")]
        for row in page.html.find("tbody")("tr")
    }


def test_list_shows_what_each_role_manages_and_how_many_memberships_use_it(admin_app, factory):
    rigger = factory.role("Rigger")
    factory.department(members=[(factory.user(), rigger), (factory.user(), rigger)])
    project = factory.project()
    project.members.append(ProjectUser(user=factory.user(), role=rigger))
    factory.role("Unused")
    page = admin_app.get("/roles")
    rows = role_rows(page)
    assert rows["Rigger"] == ["—", "2", "1", "Edit Delete"]
    assert rows["Unused"][:3] == ["—", "0", "0"]
    assert rows["Lead"][:3] == ["department project", "0", "0"]
    assert rows["Producer"][0] == "project"
    assert page.html.find("a", string="New role") is not None


def test_list_hides_actions_without_edit_and_delete_permissions(testapp, factory):
    login(testapp, factory.user_allowed("List_Role").login)
    page = testapp.get("/roles")
    assert page.html.find("a", string="New role") is None
    assert page.html.find("a", string="Edit") is None
    assert list(page.forms) == [0]  # only the logout form


def test_list_is_forbidden_without_list_permission(testapp, factory):
    login(testapp, factory.user().login)
    testapp.get("/roles", status=403)


def test_list_query_count_does_not_grow_with_roles(admin_app, factory, count_queries):
    department = factory.department(members=[factory.user()])

    def add_roles(count):
        for _ in range(count):
            role = factory.role()
            department.memberships[0].role = role

    add_roles(3)
    with count_queries() as few:
        admin_app.get("/roles")
    add_roles(27)
    with count_queries() as many:
        admin_app.get("/roles")
    assert many.count == few.count


def test_create_role_returns_to_the_list(admin_app, dbsession):
    form = admin_app.get("/roles/new").forms["role-form"]
    form["name"] = "  Look   Dev "
    page = form.submit(status=303).follow()
    assert page.request.path == "/roles"
    assert "Role Look Dev created." in page.text
    assert role_named(dbsession, "Look Dev") is not None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "A name is required."),
        ("lead", "A role named &#39;lead&#39; already exists."),
        ("x" * 300, "256 characters"),
    ],
)
def test_create_role_with_a_bad_name_is_refused(admin_app, dbsession, name, message):
    count = len(dbsession.scalars(select(Role)).all())
    form = admin_app.get("/roles/new").forms["role-form"]
    form["name"] = name
    page = form.submit(status=400)
    assert message in page.text
    assert len(dbsession.scalars(select(Role)).all()) == count


def test_create_role_is_forbidden_without_permission(testapp, factory, dbsession):
    login(testapp, factory.user_allowed("List_Role").login)
    testapp.get("/roles/new", status=403)
    token = csrf_token(testapp)
    testapp.post("/roles/new", {"csrf_token": token, "name": "Sneaky"}, status=403)
    assert role_named(dbsession, "Sneaky") is None


def _edit_form(testapp, role):
    return testapp.get(f"/roles/{role.id}/edit").forms["role-form"]


def test_rename_role(admin_app, factory):
    role = factory.role("Rigger")
    form = _edit_form(admin_app, role)
    assert form["name"].value == "Rigger"
    form["name"] = "Rigging TD"
    page = form.submit(status=303).follow()
    assert "Role Rigging TD saved." in page.text
    assert role.name == "Rigging TD"


def test_the_form_shows_what_holders_manage_as_checkboxes(admin_app, factory):
    page = admin_app.get(f"/roles/{factory.role('Producer').id}/edit")
    form = page.forms["role-form"]
    assert not form["manages_department"].checked and form["manages_project"].checked
    assert "Holders can edit their project" in page.text


def test_a_new_role_can_be_made_a_manager_by_an_admin(admin_app, dbsession):
    form = admin_app.get("/roles/new").forms["role-form"]
    form["name"] = "Coordinator"
    form["manages_project"] = True
    form.submit(status=303)
    role = role_named(dbsession, "Coordinator")
    assert (role.manages_department, role.manages_project) == (False, True)


def test_a_role_editor_sees_the_flags_read_only(testapp, factory, dbsession):
    login(testapp, factory.user_allowed("List_Role", "Create_Role", "Update_Role").login)
    page = testapp.get(f"/roles/{factory.role('Lead').id}/edit")
    manages = page.html.find(id="role-manages").get_text(" ", strip=True)
    assert "Their department: yes" in manages and "Their project: yes" in manages
    form = testapp.get("/roles/new").forms["role-form"]
    form["name"] = "Chief"
    forged = {**dict(form.submit_fields()), "manages_department": "y"}
    page = testapp.post("/roles/new", forged, status=400)
    assert "may change what a role manages" in page.text
    assert role_named(dbsession, "Chief") is None


def test_rename_role_to_a_taken_name_is_refused(admin_app, factory):
    role = factory.role("Rigger")
    form = _edit_form(admin_app, role)
    form["name"] = "Supervisor"
    page = form.submit(status=400)
    assert "already exists" in page.text
    assert role.name == "Rigger"


def test_rename_role_on_a_stale_page_is_refused(admin_app, factory, dbsession):
    role = factory.role("Rigger")
    form = _edit_form(admin_app, role)
    role.name = "Rigging"
    dbsession.flush()
    form["name"] = "Rigging TD"
    page = form.submit(status=400)
    assert "changed by someone else" in page.text
    assert role.name == "Rigging"


def test_rename_role_is_forbidden_without_permission(testapp, factory):
    role = factory.role("Rigger")
    login(testapp, factory.user_allowed("List_Role").login)
    testapp.get(f"/roles/{role.id}/edit", status=403)


def test_delete_unused_role(admin_app, factory, dbsession):
    role = factory.role("Rigger")
    page = admin_app.get("/roles")
    page = form_posting_to(page, f"http://example.com/roles/{role.id}/delete").submit(status=303)
    assert "Role Rigger deleted." in page.follow().text
    assert role_named(dbsession, "Rigger") is None


def test_delete_role_held_by_members_is_refused_and_keeps_it(admin_app, factory, dbsession):
    role = factory.role("Rigger")
    factory.department(members=[(factory.user(), role) for _ in range(3)])
    page = admin_app.get("/roles")
    page = form_posting_to(page, f"http://example.com/roles/{role.id}/delete").submit(status=303)
    flash = page.follow().html.find(class_="flash error").get_text(strip=True)
    assert flash == "Rigger is held by 3 department members; give them another role first."


def test_delete_role_held_in_projects_is_refused_and_keeps_it(admin_app, factory, dbsession):
    role = factory.role("Rigger")
    project = factory.project()
    project.members.append(ProjectUser(user=factory.user(), role=role))
    page = admin_app.get("/roles")
    page = form_posting_to(page, f"http://example.com/roles/{role.id}/delete").submit(status=303)
    flash = page.follow().html.find(class_="flash error").get_text(strip=True)
    assert flash == "Rigger is held by 1 project member; give them another role first."
    assert role_named(dbsession, "Rigger") is not None
    assert role_named(dbsession, "Rigger") is not None


def test_delete_role_is_forbidden_without_permission(testapp, factory, dbsession):
    role = factory.role("Rigger")
    login(testapp, factory.user_allowed("List_Role", "Update_Role").login)
    testapp.post(f"/roles/{role.id}/delete", {"csrf_token": csrf_token(testapp)}, status=403)
    assert role_named(dbsession, "Rigger") is not None
