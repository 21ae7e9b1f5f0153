"""Two-factor sign-in through the real pages: enrolment, the second login step, recovery codes,
turning it off, and administrators sent to enrol when the studio requires it."""

import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from stalker_web.models import AuthenticationLog
from stalker_web.models.meta import utcnow

from ...conftest import login
from ...factories import Factory
from ...pages import csrf_token


def code_for(user, seconds_from_now: float = 0) -> str:
    return pyotp.TOTP(user.totp_secret).at(utcnow() + timedelta(seconds=seconds_from_now))


def enrol(testapp, user) -> list[str]:
    """Set two-factor sign-in up through the pages; returns the recovery codes shown."""
    page = testapp.get("/profile/two-factor")
    page = page.forms["two-factor-start-form"].submit(status=303).follow()
    form = page.forms["two-factor-confirm-form"]
    form["code"] = code_for(user)
    shown = form.submit(status=200)
    return [item.get_text(strip=True) for item in shown.html.select("#recovery-codes li")]


@pytest.fixture
def enrolled(testapp, factory):
    """A user who set two-factor sign-in up and then logged out; and their recovery codes."""
    user = factory.user()
    login(testapp, user.login)
    codes = enrol(testapp, user)
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)}, status=303)
    testapp.reset()
    return user, codes


def second_step(testapp, code: str, status: int = 303):
    form = testapp.get("/login/two-factor").forms["two-factor-login-form"]
    form["code"] = code
    return form.submit(status=status)


def test_enrolment_shows_the_secret_the_address_and_a_qr_code(testapp, factory):
    user = factory.user()
    login(testapp, user.login)
    page = testapp.get("/profile")
    assert page.html.find("a", href="http://example.com/profile/two-factor")
    page = testapp.get("/profile/two-factor")
    assert "Two-factor sign-in is off" in page.text
    page = page.forms["two-factor-start-form"].submit(status=303).follow()
    assert user.totp_secret and not user.totp_enabled
    secret_shown = page.html.find(id="totp-secret").get_text().replace(" ", "")
    assert secret_shown == user.totp_secret
    assert page.html.find(id="totp-uri").get_text(strip=True).startswith("otpauth://totp/")
    assert page.html.find("svg", id="totp-qr").find("path")["d"].startswith("M")


def test_a_wrong_confirmation_code_leaves_it_off(testapp, factory):
    user = factory.user()
    login(testapp, user.login)
    page = testapp.get("/profile/two-factor").forms["two-factor-start-form"].submit().follow()
    form = page.forms["two-factor-confirm-form"]
    form["code"] = "000000" if code_for(user) != "000000" else "111111"
    page = form.submit(status=400)
    assert "That is not the code your authenticator app shows" in page.text
    assert not user.totp_enabled


def test_enrolment_shows_ten_recovery_codes_once(testapp, factory):
    user = factory.user()
    login(testapp, user.login)
    codes = enrol(testapp, user)
    assert user.totp_enabled
    assert len(codes) == 10
    page = testapp.get("/profile/two-factor")
    assert "Two-factor sign-in is on" in page.text
    assert "10 of 10 recovery codes unused" in page.text
    assert not any(code in page.text for code in codes)


def test_login_asks_for_the_code_after_the_password(testapp, enrolled):
    user, _ = enrolled
    response = login(testapp, user.login)
    assert response.location == "http://example.com/login/two-factor"
    # The password alone does not log in.
    assert testapp.get("/", status=303).location.startswith("http://example.com/login")
    page = second_step(testapp, code_for(user, 30)).follow()
    assert page.request.url == "http://example.com/"
    actions = dbsession_actions(testapp, user)
    assert actions[-1] == "login"


def dbsession_actions(testapp, user) -> list[str]:
    dbsession = testapp.extra_environ["app.dbsession"]
    return list(
        dbsession.scalars(
            select(AuthenticationLog.action)
            .where(AuthenticationLog.user_id == user.id)
            .order_by(AuthenticationLog.id)
        )
    )


def test_the_second_step_keeps_the_page_asked_for(testapp, enrolled):
    user, _ = enrolled
    page = testapp.get("/login?next=/profile")
    form = page.forms["login-form"]
    form["login"] = user.login
    form["password"] = Factory.PASSWORD
    form.submit(status=303)
    assert second_step(testapp, code_for(user, 30)).location == "http://example.com/profile"


def test_a_code_is_refused_the_second_time(app, testapp, enrolled):
    user, _ = enrolled
    code = code_for(user, 30)
    login(testapp, user.login)
    second_step(testapp, code)
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)}, status=303)
    login(testapp, user.login)
    page = second_step(testapp, code, status=400)
    assert "That code is not right" in page.text
    assert dbsession_actions(testapp, user)[-1] == "failed"


def test_a_recovery_code_works_once(testapp, enrolled):
    user, codes = enrolled
    login(testapp, user.login)
    page = second_step(testapp, codes[0]).follow()
    assert "You signed in with a recovery code; 9 are left." in page.text
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)}, status=303)
    login(testapp, user.login)
    second_step(testapp, codes[0], status=400)


def test_wrong_codes_are_throttled_like_passwords(testapp, enrolled, studio_config):
    user, codes = enrolled
    login(testapp, user.login)
    for _ in range(studio_config["accounts"]["max_failed_logins"]):
        second_step(testapp, "zzzzz-zzzzz", status=400)
    page = second_step(testapp, codes[1], status=400)
    assert "Too many failed attempts. Try again in 1 minute" in page.text
    assert dbsession_actions(testapp, user)[-1] == "locked"


def test_the_second_step_needs_a_recent_password_step(testapp, enrolled, monkeypatch):
    user, _ = enrolled
    response = testapp.get("/login/two-factor", status=303)
    assert response.location == "http://example.com/login"
    login(testapp, user.login)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 6 * 60)
    response = testapp.get("/login/two-factor", status=303)
    monkeypatch.undo()
    assert response.location == "http://example.com/login"
    assert "took too long" in response.follow().text


def test_new_recovery_codes_need_the_password_and_a_code(testapp, enrolled):
    user, old_codes = enrolled
    login(testapp, user.login)
    second_step(testapp, code_for(user, 30))
    form = testapp.get("/profile/two-factor").forms["two-factor-codes-form"]
    form["codes-current_password"] = "wrong password"
    form["codes-code"] = old_codes[5]
    page = form.submit(status=400)
    assert "That is not your current password." in page.text
    assert dbsession_actions(testapp, user)[-1] == "failed"
    form = page.forms["two-factor-codes-form"]
    form["codes-current_password"] = Factory.PASSWORD
    form["codes-code"] = old_codes[5]
    page = form.submit(status=200)
    new_codes = [item.get_text(strip=True) for item in page.html.select("#recovery-codes li")]
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)


def test_turning_it_off_needs_the_password_and_a_code(testapp, enrolled):
    user, codes = enrolled
    login(testapp, user.login)
    second_step(testapp, codes[0])
    form = testapp.get("/profile/two-factor").forms["two-factor-off-form"]
    form["off-current_password"] = Factory.PASSWORD
    form["off-code"] = "123"
    assert "That code is not right" in form.submit(status=400).text
    assert user.totp_enabled
    form = testapp.get("/profile/two-factor").forms["two-factor-off-form"]
    form["off-current_password"] = Factory.PASSWORD
    form["off-code"] = codes[1]
    page = form.submit(status=303).follow()
    assert "Two-factor sign-in is off" in page.text
    assert not user.totp_enabled


def test_an_enabled_user_cannot_restart_enrolment_without_turning_it_off(testapp, enrolled):
    user, _ = enrolled
    login(testapp, user.login)
    second_step(testapp, code_for(user, 30))
    secret = user.totp_secret
    testapp.post("/profile/two-factor/start", {"csrf_token": csrf_token(testapp)}, status=400)
    assert user.totp_enabled and user.totp_secret == secret


def test_pages_need_a_login_and_the_csrf_token(testapp, factory):
    assert testapp.get("/profile/two-factor", status=303).location.startswith(
        "http://example.com/login"
    )
    user = factory.user()
    login(testapp, user.login)
    testapp.post("/profile/two-factor/start", {}, status=400)
    assert user.totp_secret is None


# An administrator when the studio requires two-factor sign-in


def test_a_required_admin_is_sent_to_enrol_before_anything_else(testapp, factory):
    factory.studio().require_admin_two_factor = True
    admin = factory.admin()
    response = login(testapp, admin.login)
    enrolment = "http://example.com/profile/two-factor"
    assert response.follow(status=303).location == enrolment
    assert testapp.get("/users", status=303).location == enrolment
    page = testapp.get("/profile/two-factor")
    assert "Your studio requires administrators to sign in with two-factor" in page.text
    enrol(testapp, admin)
    testapp.get("/users", status=200)


def test_only_admins_are_required_and_only_when_the_studio_says_so(testapp, factory):
    studio = factory.studio()
    admin = factory.admin()
    login(testapp, admin.login)
    testapp.get("/users", status=200)
    studio.require_admin_two_factor = True
    artist = factory.user()
    testapp.reset()
    login(testapp, artist.login)
    testapp.get("/profile", status=200)


def test_a_forced_password_change_comes_before_the_required_enrolment(testapp, factory):
    factory.studio().require_admin_two_factor = True
    admin = factory.admin(must_change_password=True)
    login(testapp, admin.login)
    assert testapp.get("/users", status=303).location == "http://example.com/profile/password"
    testapp.get("/profile/password", status=200)
