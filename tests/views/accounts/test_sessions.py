"""My sessions page, signing out one or all the others, and an admin signing a user out."""

import webtest
from sqlalchemy import select

from stalker_web.models import UserSession

from ...conftest import login
from ...factories import Factory
from ...pages import button_form, csrf_token

FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)
CHROME_ON_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
LOGIN_PAGE = "http://example.com/login"


def browser(app, testapp, user_agent: str = "", address: str = "192.0.2.10") -> webtest.TestApp:
    """Another browser talking to the same app (and the test's transaction)."""
    environ = {**testapp.extra_environ, "REMOTE_ADDR": address}
    if user_agent:
        environ["HTTP_USER_AGENT"] = user_agent
    return webtest.TestApp(app, extra_environ=environ)


def is_logged_in(testapp) -> bool:
    return testapp.get("/", status="*").status_int == 200


def live_session_ids(dbsession, user) -> set[int]:
    return set(
        dbsession.scalars(
            select(UserSession.id).where(
                UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
            )
        )
    )


def session_rows(page) -> list[str]:
    return [
        row.get_text(" ", strip=True)
        for row in page.html.find("table", id="sessions").find("tbody")("tr")
    ]


def test_my_sessions_are_listed_with_this_one_marked(app, testapp, factory):
    user = factory.user()
    login(browser(app, testapp, FIREFOX_ON_WINDOWS, "198.51.100.7"), user.login)
    mine = browser(app, testapp, CHROME_ON_MAC, "203.0.113.5")
    login(mine, user.login)
    login(browser(app, testapp), factory.user().login)  # someone else's session
    page = mine.get("/profile/sessions")
    rows = session_rows(page)
    assert len(rows) == 2
    assert "Chrome on macOS" in rows[0] and "203.0.113.5" in rows[0]
    assert "This session" in rows[0]
    assert "Firefox on Windows" in rows[1] and "198.51.100.7" in rows[1]
    assert "This session" not in rows[1]
    assert page.html.find("button", string="Sign out everywhere else") is not None


def test_the_profile_links_to_my_sessions(testapp, factory):
    login(testapp, factory.user().login)
    page = testapp.get("/profile").click(href="/profile/sessions")
    assert page.html.find("h1").get_text(strip=True) == "Where you are signed in"


def test_alone_i_see_no_sign_out_everywhere_else(testapp, factory):
    login(testapp, factory.user().login)
    page = testapp.get("/profile/sessions")
    assert len(session_rows(page)) == 1
    assert page.html.find("button", string="Sign out everywhere else") is None
    assert "You are signed in only here." in page.text


def test_signing_out_one_session_ends_only_it(app, testapp, factory, dbsession):
    user = factory.user()
    firefox = browser(app, testapp, FIREFOX_ON_WINDOWS, "198.51.100.7")
    chrome = browser(app, testapp, CHROME_ON_MAC)
    login(firefox, user.login)
    login(chrome, user.login)
    login(testapp, user.login)
    page = testapp.get("/profile/sessions")
    [firefox_row] = [
        row
        for row in page.html.find("table", id="sessions").find("tbody")("tr")
        if "Firefox" in row.get_text()
    ]
    form = page.forms[firefox_row.find("form")["id"]]
    page = form.submit(status=303).follow()
    assert "Signed out of Firefox on Windows." in page.text
    assert not is_logged_in(firefox)
    assert is_logged_in(chrome)
    assert is_logged_in(testapp)
    assert len(session_rows(testapp.get("/profile/sessions"))) == 2


def test_someone_elses_session_cannot_be_signed_out(app, testapp, factory, dbsession):
    other = factory.user()
    other_browser = browser(app, testapp)
    login(other_browser, other.login)
    [other_session] = live_session_ids(dbsession, other)
    login(testapp, factory.user().login)
    testapp.post(
        f"/profile/sessions/{other_session}/revoke",
        {"csrf_token": csrf_token(testapp)},
        status=404,
    )
    assert is_logged_in(other_browser)


def test_signing_out_this_session_from_the_list_logs_me_out(testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    [this_session] = live_session_ids(dbsession, user)
    response = testapp.post(
        f"/profile/sessions/{this_session}/revoke", {"csrf_token": csrf_token(testapp)}, status=303
    )
    assert response.location == LOGIN_PAGE
    assert not is_logged_in(testapp)
    assert live_session_ids(dbsession, user) == set()


def test_sign_out_everywhere_else_keeps_this_session(app, testapp, factory, dbsession):
    user = factory.user()
    others = [browser(app, testapp), browser(app, testapp, FIREFOX_ON_WINDOWS)]
    for other in others:
        login(other, user.login)
    login(testapp, user.login)
    page = testapp.get("/profile/sessions")
    page = button_form(page, "Sign out everywhere else").submit(status=303).follow()
    assert "You are signed out everywhere else" in page.text
    assert len(session_rows(page)) == 1
    assert is_logged_in(testapp)
    assert not any(is_logged_in(other) for other in others)


def test_session_posts_need_the_csrf_token(app, testapp, factory, dbsession):
    user = factory.user()
    other = browser(app, testapp)
    login(other, user.login)
    login(testapp, user.login)
    sessions = live_session_ids(dbsession, user)
    for session_id in sessions:
        testapp.post(f"/profile/sessions/{session_id}/revoke", status=400)
    testapp.post("/profile/sessions/revoke-others", status=400)
    admin_browser = browser(app, testapp)
    login(admin_browser, factory.admin().login)
    admin_browser.post(f"/users/{user.id}/sessions/revoke", status=400)
    assert live_session_ids(dbsession, user) == sessions


def test_signing_out_takes_a_post(testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    [session_id] = live_session_ids(dbsession, user)
    testapp.get(f"/profile/sessions/{session_id}/revoke", status=404)
    testapp.get("/profile/sessions/revoke-others", status=404)
    testapp.get(f"/users/{user.id}/sessions/revoke", status=404)


def test_my_sessions_need_a_login(testapp):
    assert testapp.get("/profile/sessions", status=303).location.startswith(LOGIN_PAGE)


def test_changing_my_password_ends_my_other_sessions_but_keeps_this_one(
    app, testapp, factory, dbsession
):
    user = factory.user()
    other = browser(app, testapp)
    login(other, user.login)
    login(testapp, user.login)
    [_, this_session] = sorted(live_session_ids(dbsession, user))
    form = testapp.get("/profile/password").forms["password-form"]
    form["current_password"] = Factory.PASSWORD
    form["new_password"] = form["new_password_confirmation"] = "a brand new secret"
    form.submit(status=303)
    assert live_session_ids(dbsession, user) == {this_session}
    assert is_logged_in(testapp)
    assert not is_logged_in(other)


def test_sessions_page_query_count_does_not_grow_with_sessions(
    app, testapp, factory, count_queries
):
    user = factory.user()
    login(testapp, user.login)
    with count_queries() as few:
        testapp.get("/profile/sessions")
    for _ in range(4):
        login(browser(app, testapp, CHROME_ON_MAC), user.login)
    with count_queries() as many:
        page = testapp.get("/profile/sessions")
    assert len(session_rows(page)) == 5
    assert many.count == few.count


# An administrator signs a user out everywhere


def test_an_admin_signs_a_user_out_everywhere(app, admin_app, admin, factory, dbsession):
    ana = factory.user(name="Ana Artist")
    ana_browsers = [browser(app, admin_app), browser(app, admin_app, FIREFOX_ON_WINDOWS)]
    for ana_browser in ana_browsers:
        login(ana_browser, ana.login)
    page = admin_app.get(f"/users/{ana.id}")
    page = button_form(page, "Sign out everywhere").submit(status=303).follow()
    assert "Ana Artist is signed out everywhere." in page.text
    assert live_session_ids(dbsession, ana) == set()
    assert not any(is_logged_in(ana_browser) for ana_browser in ana_browsers)
    assert is_logged_in(admin_app)
    assert live_session_ids(dbsession, admin)


def test_signing_a_user_out_needs_update_user(app, testapp, factory, dbsession):
    ana = factory.user()
    ana_browser = browser(app, testapp)
    login(ana_browser, ana.login)
    login(testapp, factory.user_allowed("Read_User").login)
    page = testapp.get(f"/users/{ana.id}")
    assert page.html.find("button", string="Sign out everywhere") is None
    testapp.post(
        f"/users/{ana.id}/sessions/revoke", {"csrf_token": csrf_token(testapp)}, status=403
    )
    assert is_logged_in(ana_browser)


def test_an_update_user_holder_may_sign_a_user_out(app, testapp, factory):
    ana = factory.user()
    ana_browser = browser(app, testapp)
    login(ana_browser, ana.login)
    login(testapp, factory.user_allowed("Read_User", "Update_User").login)
    page = testapp.get(f"/users/{ana.id}")
    button_form(page, "Sign out everywhere").submit(status=303)
    assert not is_logged_in(ana_browser)


def test_an_update_user_holder_cannot_sign_out_someone_holding_more(app, testapp, factory):
    boss = factory.admin(name="The Boss")
    boss_browser = browser(app, testapp)
    login(boss_browser, boss.login)
    login(testapp, factory.user_allowed("Read_User", "Update_User").login)
    response = testapp.post(
        f"/users/{boss.id}/sessions/revoke", {"csrf_token": csrf_token(testapp)}, status=303
    )
    assert "may sign out a member of" in response.follow().text
    assert is_logged_in(boss_browser)


def test_an_admin_signing_themselves_out_everywhere_keeps_this_session(
    app, admin_app, admin, dbsession
):
    elsewhere = browser(app, admin_app)
    login(elsewhere, admin.login)
    page = admin_app.get(f"/users/{admin.id}")
    assert page.html.find("button", string="Sign out everywhere") is None
    admin_app.post(
        f"/users/{admin.id}/sessions/revoke", {"csrf_token": csrf_token(admin_app)}, status=303
    )
    assert is_logged_in(admin_app)
    assert not is_logged_in(elsewhere)
