"""Throttled sign-in through the real forms: back-off per login and address, a browser that
signed in before, the password page's current-password check, and oversized logins."""

import webtest
from sqlalchemy import func, select

from stalker_web.models import AuthenticationLog

from ...conftest import login
from ...factories import Factory
from ...pages import csrf_token

KNOWN_BROWSER_COOKIE = "stalker_web_known_browser"


def actions_of(dbsession, user) -> list[str]:
    return list(
        dbsession.scalars(
            select(AuthenticationLog.action)
            .where(AuthenticationLog.user_id == user.id)
            .order_by(AuthenticationLog.id)
        )
    )


def browser(app, testapp, address: str) -> webtest.TestApp:
    """Another browser, at ``address``, sharing the test's transaction."""
    return webtest.TestApp(app, extra_environ={**testapp.extra_environ, "REMOTE_ADDR": address})


def fail_from_many_addresses(dbsession, user, count: int) -> None:
    """``count`` failed logins of ``user``, each from its own address, a moment ago."""
    dbsession.add_all(
        AuthenticationLog(
            user_id=user.id, login=user.login, action="failed", remote_addr=f"198.51.100.{number}"
        )
        for number in range(1, count + 1)
    )
    dbsession.flush()


def test_failures_make_this_address_wait_and_the_refusal_is_kept(testapp, factory, dbsession):
    user = factory.user()
    for _ in range(5):
        response = login(testapp, user.login, "wrong password", status=400)
        assert response.headers["X-Tm"] == "commit"
    response = login(testapp, user.login, status=400)
    assert "Too many failed attempts. Try again in 1 minute" in response.text
    assert response.headers["X-Tm"] == "commit"
    assert actions_of(dbsession, user) == ["failed"] * 5 + ["locked"]


def test_another_address_is_not_made_to_wait(app, testapp, factory):
    user = factory.user()
    for _ in range(5):
        login(testapp, user.login, "wrong password", status=400)
    login(browser(app, testapp, "203.0.113.99"), user.login)


def test_a_known_browser_gets_in_while_other_addresses_pause_the_login(
    app, testapp, factory, dbsession, studio_config
):
    user = factory.user()
    login(testapp, user.login)
    assert testapp.cookies.get(KNOWN_BROWSER_COOKIE)
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)}, status=303)
    fail_from_many_addresses(
        dbsession, user, studio_config["accounts"]["max_failed_logins_all_addresses"]
    )
    stranger = browser(app, testapp, "203.0.113.50")
    assert "paused" in login(stranger, user.login, status=400).text
    assert login(testapp, user.login).location == "http://example.com/"


def test_a_forged_known_browser_cookie_does_not_help(
    app, testapp, factory, dbsession, studio_config
):
    user = factory.user()
    fail_from_many_addresses(
        dbsession, user, studio_config["accounts"]["max_failed_logins_all_addresses"]
    )
    testapp.set_cookie(KNOWN_BROWSER_COOKIE, f"[{user.id}]")
    assert "paused" in login(testapp, user.login, status=400).text


def test_a_login_too_long_is_refused_and_logged_cut_to_256_characters(testapp, dbsession):
    page = testapp.get("/login")
    assert page.forms["login-form"]["login"].attrs["maxlength"] == "256"
    response = testapp.post(
        "/login",
        {
            "login": "x" * 100_000,
            "password": "whatever",
            "csrf_token": page.forms["login-form"]["csrf_token"].value,
        },
        status=400,
    )
    assert "at most 256 characters" in response.text
    assert dbsession.scalars(select(AuthenticationLog.login)).all() == ["x" * 256]


def test_a_30_mb_login_never_reaches_the_log_whole(testapp, dbsession):
    token = testapp.get("/login").forms["login-form"]["csrf_token"].value
    response = testapp.post(
        "/login",
        {"login": "x" * 30_000_000, "password": "whatever", "csrf_token": token},
        expect_errors=True,
    )
    # 400 from the login form, or 413 if a request-size limit stops the body first.
    assert response.status_int in (400, 413)
    longest = dbsession.scalar(select(func.max(func.length(AuthenticationLog.login))))
    assert longest is None or longest <= 256


def change_password(testapp, current: str, status: int, new: str = "a brand new secret"):
    form = testapp.get("/profile/password").forms["password-form"]
    form["current_password"] = current
    form["new_password"] = form["new_password_confirmation"] = new
    return form.submit(status=status)


def test_wrong_current_passwords_are_logged_and_throttled(testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    for _ in range(5):
        response = change_password(testapp, "wrong password", status=400)
        assert "That is not your current password." in response.text
        assert response.headers["X-Tm"] == "commit"
    response = change_password(testapp, Factory.PASSWORD, status=400)
    assert "Too many failed attempts. Try again in 1 minute" in response.text
    assert actions_of(dbsession, user) == ["login"] + ["failed"] * 5 + ["locked"]


def test_a_refused_new_password_is_not_a_failed_attempt(testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    response = change_password(testapp, Factory.PASSWORD, status=400, new="password123")
    assert "among the most common ones" in response.text
    assert "X-Tm" not in response.headers
    assert actions_of(dbsession, user) == ["login"]


def test_a_next_address_too_long_to_follow_leads_home(testapp, factory):
    user = factory.user()
    page = testapp.get("/login", {"next": "/" + "x" * 5000})
    form = page.forms["login-form"]
    form["login"] = user.login
    form["password"] = Factory.PASSWORD
    assert form.submit(status=303).location == "http://example.com/"
