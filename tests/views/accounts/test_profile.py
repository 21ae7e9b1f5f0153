"""My profile and my password through the real forms."""

import pytest
import webtest
from sqlalchemy import select

from stalker_web.models import AuthenticationLog
from stalker_web.models.authentication_log import FAILED
from stalker_web.services.accounts.passwords import verify_password

from ...conftest import login
from ...factories import Factory
from ...pages import csrf_token

NEW_PASSWORD = "a brand new secret"


def change_password(testapp, current=Factory.PASSWORD, new=NEW_PASSWORD, repeat=None, status=303):
    form = testapp.get("/profile/password").forms["password-form"]
    form["current_password"] = current
    form["new_password"] = new
    form["new_password_confirmation"] = new if repeat is None else repeat
    return form.submit(status=status)


# My profile


def test_profile_shows_my_details_departments_and_groups(testapp, factory):
    user = factory.user("ana", name="Ana Artist")
    factory.department("Modeling", members=[(user, factory.role("Lead"))])
    factory.group("Artists", users=[user])
    login(testapp, user.login)
    page = testapp.get("/profile")
    details = page.html.find("table", id="profile-details").get_text(" ", strip=True)
    assert "ana" in details and "Modeling (Lead)" in details and "Artists" in details
    assert page.forms["profile-form"]["name"].value == "Ana Artist"


def test_profile_links_the_departments_i_lead_and_not_the_others(testapp, factory):
    user = factory.user()
    led = factory.department("Lighting", members=[(user, factory.role("Lead"))])
    factory.department("Modeling", members=[(user, factory.role("Artist"))])
    login(testapp, user.login)
    details = testapp.get("/profile").html.find("table", id="profile-details")
    links = {link.get_text(): link["href"] for link in details.find_all("a")}
    assert links == {"Lighting": f"http://example.com/departments/{led.id}"}


def test_edit_my_name_and_email(testapp, factory):
    user = factory.user("ana")
    login(testapp, user.login)
    form = testapp.get("/profile").forms["profile-form"]
    form["name"] = "  Ana   Lead "
    form["email"] = "Ana.Lead@Example.com"
    form["current_password"] = Factory.PASSWORD
    page = form.submit(status=303).follow()
    assert "Your profile is saved." in page.text
    assert (user.name, user.email) == ("Ana Lead", "ana.lead@example.com")


def test_my_login_cannot_be_changed_from_the_profile(testapp, factory):
    user = factory.user("ana")
    login(testapp, user.login)
    form = testapp.get("/profile").forms["profile-form"]
    assert "login" not in form.fields
    fields = dict(form.submit_fields())
    testapp.post("/profile", {**fields, "login": "boss"}, status=303)
    assert user.login == "ana"


@pytest.mark.parametrize(
    ("name", "email", "message"),
    [
        ("", "ana@example.com", "A name is required."),
        ("Ana", "", "An e-mail address is required."),
        ("Ana", "nobody", "An e-mail address looks like name@example.com."),
        ("Ana", "TAKEN@example.com", "This e-mail address cannot be used; choose another"),
    ],
)
def test_bad_profile_input_is_refused(testapp, factory, name, email, message):
    factory.user(email="taken@example.com")
    user = factory.user(name="Original")
    login(testapp, user.login)
    form = testapp.get("/profile").forms["profile-form"]
    form["name"] = name
    form["email"] = email
    form["current_password"] = Factory.PASSWORD
    page = form.submit(status=400)
    assert message in page.text
    assert user.name == "Original"


def test_a_new_email_needs_my_current_password(testapp, factory, dbsession):
    user = factory.user(email="ana@example.com")
    login(testapp, user.login)
    form = testapp.get("/profile").forms["profile-form"]
    form["email"] = "ana.new@example.com"
    page = form.submit(status=400)
    errors = page.html.find("ul", id="current_password-errors").get_text(strip=True)
    assert errors == "Enter your current password to change your e-mail address."
    form = page.forms["profile-form"]
    form["current_password"] = "not my password"
    page = form.submit(status=400)
    assert "That is not your current password." in page.text
    assert page.headers["X-Tm"] == "commit"  # the failed attempt is kept and counts
    failures = dbsession.scalars(
        select(AuthenticationLog).where(
            AuthenticationLog.user_id == user.id, AuthenticationLog.action == FAILED
        )
    ).all()
    assert len(failures) == 1
    assert user.email == "ana@example.com"


def test_my_name_changes_without_my_password(testapp, factory):
    user = factory.user(email="ana@example.com")
    login(testapp, user.login)
    form = testapp.get("/profile").forms["profile-form"]
    form["name"] = "Ana Renamed"
    form.submit(status=303)
    assert user.name == "Ana Renamed"


def test_profile_edit_on_a_stale_page_is_refused(testapp, factory, dbsession):
    user = factory.user(name="Original")
    login(testapp, user.login)
    form = testapp.get("/profile").forms["profile-form"]
    user.rate = 10.0
    dbsession.flush()
    form["name"] = "Stale"
    page = form.submit(status=400)
    assert "Your profile was changed by someone else" in page.text
    assert user.name == "Original"


def test_profile_needs_a_login(testapp):
    response = testapp.get("/profile", status=303)
    assert response.location.startswith("http://example.com/login")


def test_profile_edit_without_the_csrf_token_is_refused(testapp, factory):
    user = factory.user(name="Original")
    login(testapp, user.login)
    testapp.post("/profile", {"name": "Forged", "email": user.email}, status=400)
    assert user.name == "Original"


def test_a_user_denied_updating_users_may_still_edit_their_profile(testapp, factory):
    user = factory.user()
    factory.group(users=[user], permissions=[factory.permission("Deny", "Update", "User")])
    login(testapp, user.login)
    form = testapp.get("/profile").forms["profile-form"]
    form["name"] = "Still Me"
    form.submit(status=303)
    assert user.name == "Still Me"


# My password


def test_change_my_password_goes_home_and_the_new_one_logs_in(app, testapp, factory):
    user = factory.user()
    login(testapp, user.login)
    page = change_password(testapp).follow()
    assert page.request.url == "http://example.com/"
    assert "Your password is changed." in page.text
    assert verify_password(user.password_hash, NEW_PASSWORD)
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)}, status=303)
    login(testapp, user.login, Factory.PASSWORD, status=400)
    login(testapp, user.login, NEW_PASSWORD)


def test_changing_my_password_ends_my_other_sessions_but_not_this_one(app, testapp, factory):
    user = factory.user()
    other_browser = webtest.TestApp(app, extra_environ=testapp.extra_environ)
    login(other_browser, user.login)
    login(testapp, user.login)
    change_password(testapp)
    testapp.get("/", status=200)
    assert other_browser.get("/", status=303).location.startswith("http://example.com/login")


def test_a_password_reset_by_an_admin_ends_the_users_sessions(app, testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    admin_browser = webtest.TestApp(app, extra_environ=testapp.extra_environ)
    login(admin_browser, factory.admin().login)
    form = admin_browser.get(f"/users/{user.id}/edit").forms["user-form"]
    form["password"] = form["password_confirmation"] = NEW_PASSWORD
    form.submit(status=303)
    assert testapp.get("/", status=303).location.startswith("http://example.com/login")


@pytest.mark.parametrize(
    ("current", "new", "repeat", "message"),
    [
        ("wrong password", NEW_PASSWORD, None, "That is not your current password."),
        (Factory.PASSWORD, NEW_PASSWORD, "something else", "The two passwords differ"),
        (Factory.PASSWORD, "short", None, "Use at least 10 characters."),
        (Factory.PASSWORD, " padded password ", None, "cannot start or end with spaces"),
        (Factory.PASSWORD, Factory.PASSWORD, None, "different from the current one"),
        ("", NEW_PASSWORD, None, "Enter your current password."),
    ],
)
def test_bad_password_change_is_refused(testapp, factory, current, new, repeat, message):
    user = factory.user()
    old_hash = user.password_hash
    login(testapp, user.login)
    page = change_password(testapp, current, new, repeat, status=400)
    assert message in page.text
    assert user.password_hash == old_hash


def test_a_forced_password_change_comes_first_and_ends_once_done(testapp, factory):
    user = factory.user(must_change_password=True)
    response = login(testapp, user.login)
    assert response.location == "http://example.com/profile/password"
    assert testapp.get("/users", status=303).location == "http://example.com/profile/password"
    page = testapp.get("/profile/password")
    assert "You must choose a new password before you go on." in page.text
    change_password(testapp)
    assert not user.must_change_password
    testapp.get("/profile", status=200)


def test_password_change_without_the_csrf_token_is_refused(testapp, factory):
    user = factory.user()
    old_hash = user.password_hash
    login(testapp, user.login)
    fields = {
        "current_password": Factory.PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password_confirmation": NEW_PASSWORD,
    }
    testapp.post("/profile/password", fields, status=400)
    assert user.password_hash == old_hash
