"""End-to-end: nobody hands out or takes over rights they do not hold (issue 9, findings 2, 3, 7).

Each test replays an escalation through the real pages: a user manager taking over a producer's
account, a permission editor raising themselves, group changes that raise rights, a role rename
that made people managers, and the pages that answered 500 or confirmed other users' e-mails.
"""

import pytest
import webtest
from sqlalchemy import select

from stalker_web.models import DepartmentUser, ProjectUser, Role, UserSession
from stalker_web.security import principals_for
from stalker_web.services.accounts.passwords import verify_password
from stalker_web.services.accounts.sessions import start_session
from stalker_web.services.accounts.user_rights import load_user_rights

from .conftest import login
from .factories import Factory
from .pages import csrf_token, form_posting_to

NEW_PASSWORD = "a brand new secret"
PRODUCER_RIGHTS = (
    "List_Project", "Read_Project", "Create_Project", "Update_Project", "Delete_Project",
    "List_User", "Read_User",
)  # fmt: skip


def browser(testapp) -> webtest.TestApp:
    """Another browser (its own cookies) on the same app and test transaction."""
    return webtest.TestApp(testapp.app, extra_environ=testapp.extra_environ)


def edit_url(user) -> str:
    return f"/users/{user.id}/edit"


def matrix_url(user) -> str:
    return f"/users/{user.id}/permissions"


def login_refused(testapp, login_name: str, password: str) -> bool:
    """Whether logging in with ``password`` fails (a fresh browser, so no session is reused)."""
    page = browser(testapp).get("/login")
    form = page.forms["login-form"]
    form["login"], form["password"] = login_name, password
    return form.submit(expect_errors=True).status_int == 400


@pytest.fixture
def producer(factory):
    return factory.user_allowed(*PRODUCER_RIGHTS, name="Paula Producer")


# Finding 2: a holder of Update_User took over a producer's account


def test_a_user_manager_cannot_set_a_producers_password(testapp, factory, producer):
    old_hash = producer.password_hash
    login(testapp, factory.user_allowed("List_User", "Read_User", "Update_User").login)
    page = testapp.get(edit_url(producer))
    form = page.forms["user-form"]
    assert "password" not in form.fields
    notice = page.html.find(id="out-of-reach").get_text(" ", strip=True)
    assert "Paula Producer holds rights you lack" in notice and "Delete Project" in notice
    forged = dict(form.submit_fields())
    forged.update(password=NEW_PASSWORD, password_confirmation=NEW_PASSWORD)
    page = testapp.post(edit_url(producer), forged, status=400)
    assert "You may not change the password of Paula Producer" in page.text
    assert (
        "(Create Project, Delete Project, List Project, Read Project, Update Project)" in page.text
    )
    assert producer.password_hash == old_hash
    assert login_refused(testapp, producer.login, NEW_PASSWORD)


def test_a_user_manager_cannot_deactivate_or_reactivate_a_producer(testapp, factory, producer):
    login(testapp, factory.user_allowed("List_User", "Read_User", "Update_User").login)
    token = csrf_token(testapp)
    page = testapp.post(f"/users/{producer.id}/deactivate", {"csrf_token": token}).follow()
    assert "You may not deactivate Paula Producer" in page.text
    assert producer.is_active
    producer.is_active = False
    page = testapp.post(f"/users/{producer.id}/activate", {"csrf_token": token}).follow()
    assert "You may not activate Paula Producer" in page.text
    assert not producer.is_active


def test_a_user_manager_may_still_reset_the_password_of_someone_with_fewer_rights(testapp, factory):
    artist = factory.user_allowed("List_User", name="Art Artist")
    login(testapp, factory.user_allowed("List_User", "Read_User", "Update_User").login)
    form = testapp.get(edit_url(artist)).forms["user-form"]
    form["password"] = form["password_confirmation"] = NEW_PASSWORD
    form["must_change_password"] = False
    form.submit(status=303)
    assert verify_password(artist.password_hash, NEW_PASSWORD)
    assert artist.must_change_password


def test_a_permission_editor_cannot_raise_their_own_rights(testapp, factory, dbsession):
    editor = factory.user_allowed("Read_Permission", "Update_Permission", name="Ed Editor")
    login(testapp, editor.login)
    testapp.get("/users", status=403)
    page = testapp.get(matrix_url(editor))
    assert page.html.find("select", id="cell-User-List") is None
    assert page.html.find("select", id="cell-Permission-Update") is not None
    form = page.forms["user-permission-matrix"]
    forged = dict(form.submit_fields())
    forged.update({"cell.User.List": "Allow", "cell.User.Update": "Allow"})
    page = testapp.post(matrix_url(editor), forged, status=400)
    assert "You may only set or clear permissions you hold yourself" in page.text
    assert "List User, Update User" in page.text
    dbsession.expire(editor, ["permissions"])
    assert editor.permissions == []
    testapp.get("/users", status=403)


def test_a_permission_editor_cannot_grant_others_what_they_lack(testapp, factory):
    editor = factory.user_allowed("Read_Permission", "Update_Permission", "List_Project")
    artist = factory.user(name="Art Artist")
    login(testapp, editor.login)
    form = testapp.get(matrix_url(artist)).forms["user-permission-matrix"]
    form["cell.Project.List"] = "Allow"
    form.submit(status=303)
    assert [row.permission_name for row in artist.permissions] == ["List_Project"]
    forged = dict(testapp.get(matrix_url(artist)).forms["user-permission-matrix"].submit_fields())
    forged["cell.Project.Delete"] = "Allow"
    page = testapp.post(matrix_url(artist), forged, status=400)
    assert "Delete Project" in page.text
    assert [row.permission_name for row in artist.permissions] == ["List_Project"]


def test_a_permission_editor_cannot_touch_the_rows_of_someone_out_of_reach(
    testapp, factory, producer
):
    login(testapp, factory.user_allowed("Read_Permission", "Update_Permission").login)
    page = testapp.get(matrix_url(producer))
    assert "user-permission-matrix" not in page.forms
    assert "Paula Producer holds rights you lack" in page.text
    forged = {"csrf_token": csrf_token(testapp), "version_id": str(producer.version_id)}
    page = testapp.post(matrix_url(producer), forged, status=400)
    assert "You may not change the permissions of Paula Producer" in page.text
    assert producer.permissions == []


# Finding 7: group membership that raises rights


def test_a_group_manager_cannot_add_someone_to_a_group_granting_rights_they_lack(testapp, factory):
    powerful = factory.group(
        "Producers", permissions=[factory.permission("Allow", "Delete", "Project")]
    )
    artist = factory.user(name="Art Artist")
    login(testapp, factory.user_allowed("Read_User", "Update_User", "Update_Group").login)
    form = testapp.get(edit_url(artist)).forms["user-form"]
    form["group_ids"].force_value([str(powerful.id)])
    page = form.submit(status=400)
    assert "You may not add users to Producers" in page.text
    token = csrf_token(testapp)
    testapp.post(
        f"/groups/{powerful.id}/members", {"csrf_token": token, "user_id": artist.id}, status=403
    )
    assert artist.groups == []


def test_a_group_manager_cannot_lift_a_deny_they_do_not_hold(testapp, factory):
    no_deleting = factory.group(
        "No deleting", permissions=[factory.permission("Deny", "Delete", "Project")]
    )
    artist = factory.user(name="Art Artist", groups=[no_deleting])
    manager = factory.user_allowed("Read_User", "Update_User", "Read_Group", "Update_Group")
    login(testapp, manager.login)
    form = testapp.get(edit_url(artist)).forms["user-form"]
    offered = [label for _value, _selected, label in form["group_ids"].options]
    assert "No deleting" not in offered
    form.submit(status=303)
    assert artist.groups == [no_deleting]
    token = csrf_token(testapp)
    testapp.post(
        f"/groups/{no_deleting.id}/members/{artist.id}/remove", {"csrf_token": token}, status=403
    )
    other = factory.user()
    testapp.post(
        f"/groups/{no_deleting.id}/members", {"csrf_token": token, "user_id": other.id}, status=403
    )
    assert no_deleting.users == [artist]


def test_a_group_manager_cannot_change_the_groups_of_someone_out_of_reach(
    testapp, factory, producer
):
    artists = factory.group("Artists")
    login(testapp, factory.user_allowed("Read_User", "Update_User", "Update_Group").login)
    form = testapp.get(edit_url(producer)).forms["user-form"]
    assert "group_ids" not in form.fields
    forged = dict(form.submit_fields())
    forged["group_ids"] = str(artists.id)
    page = testapp.post(edit_url(producer), forged, status=400)
    assert "You may not change the groups of Paula Producer" in page.text
    assert artists not in producer.groups


# Finding 3: manager rights follow the role's flags, never its name


def test_renaming_artist_to_lead_makes_nobody_a_manager(testapp, admin_app, factory, dbsession):
    lead = dbsession.scalars(select(Role).where(Role.name == "Lead")).one()
    artist_role = dbsession.scalars(select(Role).where(Role.name == "Artist")).one()
    artist = factory.user(name="Art Artist")
    department = factory.department("Modeling", members=[(artist, artist_role)])
    project = factory.project()
    project.members.append(ProjectUser(user=artist, role=artist_role))
    for role, new_name in ((lead, "Former Lead"), (artist_role, "Lead")):
        form = admin_app.get(f"/roles/{role.id}/edit").forms["role-form"]
        form["name"] = new_name
        form.submit(status=303)
    assert artist_role.name == "Lead" and not artist_role.manages_department
    login(testapp, artist.login)
    testapp.get(f"/departments/{department.id}", status=403)
    testapp.get(f"/projects/{project.id}/edit", status=403)


def test_a_flag_set_by_an_admin_makes_the_holders_managers(testapp, admin_app, factory):
    role = factory.role("Coordinator")
    coordinator = factory.user()
    department = factory.department(members=[(coordinator, role)])
    coordinator_browser = browser(testapp)
    login(coordinator_browser, coordinator.login)
    coordinator_browser.get(f"/departments/{department.id}", status=403)
    form = admin_app.get(f"/roles/{role.id}/edit").forms["role-form"]
    form["manages_department"] = True
    form.submit(status=303)
    assert role.manages_department
    coordinator_browser.get(f"/departments/{department.id}", status=200)


def test_only_permission_editors_may_change_what_a_role_manages(testapp, factory):
    role = factory.role("Coordinator")
    login(testapp, factory.user_allowed("List_Role", "Update_Role").login)
    page = testapp.get(f"/roles/{role.id}/edit")
    form = page.forms["role-form"]
    assert "manages_department" not in form.fields and "manages_project" not in form.fields
    assert "Only someone allowed to update permissions" in page.text
    form["name"] = "Coordinators"
    form.submit(status=303)
    assert role.name == "Coordinators"
    forged = dict(testapp.get(f"/roles/{role.id}/edit").forms["role-form"].submit_fields())
    forged["manages_project"] = "y"
    page = testapp.post(f"/roles/{role.id}/edit", forged, status=400)
    assert "Only someone allowed to update permissions may change what a role manages" in page.text
    assert not role.manages_project


def test_deleting_a_role_held_in_a_project_is_refused(admin_app, factory, dbsession):
    role = factory.role("Coordinator")
    project = factory.project()
    project.members.append(ProjectUser(user=factory.user(), role=role))
    page = admin_app.get("/roles")
    form = form_posting_to(page, f"http://example.com/roles/{role.id}/delete")
    page = form.submit(status=303).follow()
    assert "Coordinator is held by 1 project member" in page.text
    assert dbsession.get(Role, role.id) is role


# Finding 7: the user form after a self-edit, and e-mail addresses on the profile


def test_the_user_form_works_after_the_user_edited_their_own_profile(testapp, admin_app, factory):
    ana = factory.user("ana", name="Ana")
    ana_browser = browser(testapp)
    login(ana_browser, ana.login)
    form = ana_browser.get("/profile").forms["profile-form"]
    form["name"] = "Ana Artist"
    form.submit(status=303)
    form = admin_app.get(edit_url(ana), status=200).forms["user-form"]
    form["name"] = "Ana Lead"
    form.submit(status=303)
    assert ana.name == "Ana Lead"


def test_changing_my_email_needs_my_password_and_never_confirms_another_users(testapp, factory):
    factory.user(email="boss@example.com")
    ana = factory.user(email="ana@example.com")
    login(testapp, ana.login)
    form = testapp.get("/profile").forms["profile-form"]
    form["email"] = "boss@example.com"
    page = form.submit(status=400)
    assert "Enter your current password to change your e-mail address." in page.text
    form = page.forms["profile-form"]
    form["current_password"] = Factory.PASSWORD
    page = form.submit(status=400)
    assert "This e-mail address cannot be used" in page.text
    assert "used by another user" not in page.text
    form = page.forms["profile-form"]
    form["email"] = "ana.new@example.com"
    form["current_password"] = Factory.PASSWORD
    form.submit(status=303)
    assert ana.email == "ana.new@example.com"


# Passwords set by someone else, and deactivation, end the sessions


def test_a_password_reset_forces_a_change_and_ends_the_old_sessions(
    testapp, admin_app, factory, dbsession
):
    ana = factory.user()
    ana_browser = browser(testapp)
    login(ana_browser, ana.login)
    record, _token = start_session(dbsession, ana.id, remote_addr="192.0.2.1", user_agent="test")
    form = admin_app.get(edit_url(ana)).forms["user-form"]
    form["password"] = form["password_confirmation"] = NEW_PASSWORD
    form["must_change_password"] = False
    form.submit(status=303)
    assert ana.must_change_password
    dbsession.refresh(record)
    assert record.revoked_at is not None
    assert ana_browser.get("/", status=303).location.startswith("http://example.com/login")
    fresh = browser(testapp)
    assert login(fresh, ana.login, NEW_PASSWORD).location == "http://example.com/profile/password"


def test_deactivation_ends_the_users_sessions(admin_app, factory, dbsession):
    ana = factory.user()
    start_session(dbsession, ana.id, remote_addr="192.0.2.1", user_agent="test")
    admin_app.post(f"/users/{ana.id}/deactivate", {"csrf_token": csrf_token(admin_app)})
    sessions = dbsession.scalars(select(UserSession).where(UserSession.user_id == ana.id)).all()
    dbsession.expire_all()
    assert sessions and all(session.revoked_at is not None for session in sessions)


def test_principals_come_from_the_role_flags(factory):
    chief = factory.role("Chief", manages_department=True, manages_project=False)
    plain = factory.role("Lead Artist")
    user = factory.user()
    department, other = factory.department(members=[(user, chief)]), factory.department()
    other.memberships.append(DepartmentUser(user=user, role=plain))
    project = factory.project()
    project.members.append(ProjectUser(user=user, role=chief))
    factory.dbsession.flush()
    principals = set(principals_for(load_user_rights(factory.dbsession, user.id)))
    assert {
        f"department:{department.id}:member",
        f"department:{department.id}:manager",
        f"department:{other.id}:member",
        f"project:{project.id}:member",
    } <= principals
    assert f"department:{other.id}:manager" not in principals
    assert f"project:{project.id}:manager" not in principals
    assert not any("chief" in principal or "lead" in principal for principal in principals)
