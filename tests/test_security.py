"""Security acceptance tests: CSRF, login throttling, redirects, cookies, secrets, passwords."""

from datetime import timedelta

import pytest
import webtest
from pyramid.exceptions import ConfigurationError
from sqlalchemy import select, update

from stalker_web import SECRET_ENV_VAR, main
from stalker_web.models import AuthenticationLog, ProjectUser, User
from stalker_web.models.meta import utcnow

from .conftest import login
from .factories import Factory

EXPIRED = "This form has expired"
LOCKED = "Too many failed attempts"
OFFICE = "192.0.2.10"  # the address conftest's testapp sends from
GOOD_SECRET = "x" * 40


def csrf_token(testapp) -> str:
    """The CSRF token of the logged-in session, read from the layout's logout form."""
    return testapp.get("/").html.find("input", attrs={"name": "csrf_token"})["value"]


def try_login(testapp, login_name: str, password: str, address: str = OFFICE):
    """Submit the real login form from ``address``, whatever the outcome."""
    form = testapp.get("/login").forms["login-form"]
    form["login"] = login_name
    form["password"] = password
    return form.submit(status="*", extra_environ={"REMOTE_ADDR": address})


def actions_logged(dbsession, login_name: str) -> list[str]:
    return list(
        dbsession.scalars(
            select(AuthenticationLog.action)
            .where(AuthenticationLog.login == login_name)
            .order_by(AuthenticationLog.id)
        )
    )


def is_logged_in(testapp) -> bool:
    return testapp.get("/", status="*").status_int == 200


# CSRF


def test_logout_without_a_token_is_refused_and_keeps_you_logged_in(testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    page = testapp.post("/logout", status=400)
    assert EXPIRED in page.text
    assert is_logged_in(testapp)
    assert "logout" not in actions_logged(dbsession, user.login)


def test_login_without_a_token_is_refused(testapp, factory, dbsession):
    user = factory.user()
    page = testapp.post("/login", {"login": user.login, "password": Factory.PASSWORD}, status=400)
    assert EXPIRED in page.text
    assert not is_logged_in(testapp)
    assert actions_logged(dbsession, user.login) == []


def test_a_form_with_a_wrong_token_changes_nothing(admin_app, factory):
    studio = factory.studio()
    form = admin_app.get("/studio").forms["studio-form"]
    form["name"] = "Forged Studio"
    form["csrf_token"] = "0" * 40
    assert EXPIRED in form.submit(status=400).text
    assert studio.name != "Forged Studio"


def test_logging_in_replaces_the_token_of_the_anonymous_session(testapp, factory):
    user = factory.user()
    anonymous_token = testapp.get("/login").forms["login-form"]["csrf_token"].value
    login(testapp, user.login)
    testapp.post("/logout", {"csrf_token": anonymous_token}, status=400)
    assert is_logged_in(testapp)


# Login throttling (max_failed_logins = 5 in the default configuration)


def test_five_failures_lock_the_login_even_with_the_right_password(testapp, factory, dbsession):
    user = factory.user()
    for _ in range(4):
        assert try_login(testapp, user.login, "wrong password").status_int == 400
    assert try_login(testapp, "someone.else", "wrong password").status_int == 400
    assert try_login(testapp, user.login, "wrong password").status_int == 400
    page = try_login(testapp, user.login, Factory.PASSWORD)
    assert page.status_int == 400
    assert LOCKED in page.text
    assert not is_logged_in(testapp)
    assert actions_logged(dbsession, user.login) == ["failed"] * 5 + ["locked"]


def test_four_failures_still_let_the_right_password_in(testapp, factory):
    user = factory.user()
    for _ in range(4):
        try_login(testapp, user.login, "wrong password")
    assert try_login(testapp, user.login, Factory.PASSWORD).status_int == 303


def test_one_address_is_locked_after_four_times_the_limit(testapp, factory):
    user = factory.user()
    for number in range(20):
        try_login(testapp, f"guess{number // 4}", "wrong password", address="198.51.100.66")
    page = try_login(testapp, user.login, Factory.PASSWORD, address="198.51.100.66")
    assert LOCKED in page.text
    assert try_login(testapp, user.login, Factory.PASSWORD).status_int == 303


def test_logging_in_works_again_once_the_window_has_passed(testapp, factory, dbsession):
    user = factory.user()
    for _ in range(5):
        try_login(testapp, user.login, "wrong password")
    assert LOCKED in try_login(testapp, user.login, Factory.PASSWORD).text
    dbsession.execute(
        update(AuthenticationLog)
        .where(AuthenticationLog.login == user.login)
        .values(date=utcnow() - timedelta(minutes=16))
    )
    assert try_login(testapp, user.login, Factory.PASSWORD).status_int == 303


# Redirects after login


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("/users", "http://example.com/users"),
        ("/users?state=all", "http://example.com/users?state=all"),
        ("//evil.example", "http://example.com/"),
        ("http://evil.example/", "http://example.com/"),
        ("https://example.com.evil.example/", "http://example.com/"),
        ("/\\evil.example", "http://example.com/"),
        ("javascript:alert(1)", "http://example.com/"),
        ("users", "http://example.com/"),
    ],
)
def test_next_is_followed_only_within_the_site(testapp, factory, next_url, location):
    user = factory.user()
    form = testapp.get("/login", {"next": next_url}).forms["login-form"]
    form["login"] = user.login
    form["password"] = Factory.PASSWORD
    assert form.submit(status=303).location == location


# Session cookie and secret


def session_cookie(response) -> str:
    [cookie] = [
        value
        for name, value in response.headerlist
        if name == "Set-Cookie" and value.startswith("stalker_web_session=")
    ]
    return cookie.lower()


def test_session_cookie_is_httponly_and_samesite_lax(testapp, factory):
    cookie = session_cookie(login(testapp, factory.user().login))
    assert "; httponly" in cookie
    assert "; samesite=lax" in cookie
    assert "; secure" not in cookie  # testing.ini turns it off for plain-HTTP tests


@pytest.mark.parametrize("secure_setting", ["true", None])
def test_session_cookie_is_secure_unless_turned_off(app_settings, tm, dbsession, secure_setting):
    settings = {key: value for key, value in app_settings.items() if key != "session.secure"}
    if secure_setting is not None:
        settings["session.secure"] = secure_setting
    secure_app = webtest.TestApp(
        main({}, **settings),
        extra_environ={"tm.active": True, "tm.manager": tm, "app.dbsession": dbsession},
    )
    assert "; secure" in session_cookie(secure_app.get("/login"))


@pytest.mark.parametrize("secret", [None, "", "too short a secret"])
def test_app_refuses_to_start_without_a_long_secret(app_settings, monkeypatch, secret):
    monkeypatch.delenv(SECRET_ENV_VAR, raising=False)
    settings = {key: value for key, value in app_settings.items() if key != "session.secret"}
    if secret is not None:
        settings["session.secret"] = secret
    with pytest.raises(ConfigurationError, match=SECRET_ENV_VAR):
        main({}, **settings)


def test_app_takes_the_secret_from_the_environment(app_settings, monkeypatch):
    settings = {key: value for key, value in app_settings.items() if key != "session.secret"}
    monkeypatch.setenv(SECRET_ENV_VAR, GOOD_SECRET)
    assert main({}, **settings) is not None


def test_the_environment_secret_wins_over_the_ini_file(app_settings, monkeypatch):
    monkeypatch.setenv(SECRET_ENV_VAR, "short")
    with pytest.raises(ConfigurationError):
        main({}, **app_settings)


# Logout


def test_logout_by_get_only_goes_home(testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    assert testapp.get("/logout", status=302).location == "http://example.com/"
    assert is_logged_in(testapp)
    assert "logout" not in actions_logged(dbsession, user.login)


def test_logout_by_post_ends_the_session_and_is_logged(testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    response = testapp.post("/logout", {"csrf_token": csrf_token(testapp)}, status=303)
    assert response.location == "http://example.com/login"
    assert not is_logged_in(testapp)
    assert actions_logged(dbsession, user.login) == ["login", "logout"]


# Forced password change


def csrf_token_of_password_page(testapp) -> str:
    return testapp.get("/profile/password").forms["password-form"]["csrf_token"].value


def test_a_user_who_must_change_password_is_sent_to_the_password_page(testapp, factory):
    user = factory.admin(must_change_password=True)
    assert login(testapp, user.login).location == "http://example.com/profile/password"
    for path in ("/", "/users", "/studio", "/profile", "/authentication-log"):
        response = testapp.get(path, status=303)
        assert response.location == "http://example.com/profile/password", path
    testapp.get("/profile/password", status=200)
    testapp.post("/logout", {"csrf_token": csrf_token_of_password_page(testapp)}, status=303)


# Password storage


def test_passwords_are_stored_as_argon2id_hashes(testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    form = testapp.get("/profile/password").forms["password-form"]
    form["current_password"] = Factory.PASSWORD
    form["new_password"] = form["new_password_confirmation"] = "another long secret"
    form.submit(status=303)
    factory.user()
    hashes = dbsession.scalars(select(User.password_hash)).all()
    assert hashes
    for password_hash in hashes:
        assert password_hash.startswith("$argon2id$")
        assert Factory.PASSWORD not in password_hash
        assert "another long secret" not in password_hash


# Where a user's principals and studio-wide permissions come from.
RIGHTS_TABLES = (
    "group_users",
    "users_permissions",
    "groups_permissions",
    "department_users",
    "project_users",
)


def _give_rights(factory, user, how_many: int) -> None:
    """Put ``user`` in ``how_many`` groups (each with a permission row), departments (leading
    one) and projects."""
    chief = factory.role(f"Chief {how_many}", manages_department=True, manages_project=True)
    for number in range(how_many):
        factory.group(users=[user], permissions=[factory.permission("Allow", "List", "Group")])
        factory.department(members=[(user, chief if number == 0 else None)])
        project = factory.project()
        project.members.append(ProjectUser(user=user, role=chief))
    factory.dbsession.flush()


def test_a_page_reads_the_users_rights_in_one_statement_however_many(
    testapp, factory, queries_of, count_queries
):
    few, many = factory.user(), factory.user()
    _give_rights(factory, few, 1)
    _give_rights(factory, many, 5)
    counts = []
    for user in (few, many):
        login(testapp, user.login)
        counts.append(queries_of(testapp, "/profile/password"))
        with count_queries() as counter:
            testapp.get("/profile/password")
        rights_reads = [
            sql for sql in counter.statements if any(table in sql for table in RIGHTS_TABLES)
        ]
        assert len(rights_reads) == 1
    assert counts[0] == counts[1]
