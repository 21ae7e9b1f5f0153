"""Server-side sessions: the cookie holds only a token, and logout, idling and age end a session."""

from datetime import timedelta

import pytest
import webtest
from pyramid.session import JSONSerializer
from sqlalchemy import select, update
from webob.cookies import SignedSerializer

from stalker_web.models import UserSession
from stalker_web.models.meta import utcnow
from stalker_web.services.accounts.sessions import (
    SessionLimits,
    describe_user_agent,
    live_session,
    start_session,
    token_digest,
)

from .conftest import login
from .pages import csrf_token

FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
)
COOKIE_NAME = "stalker_web_session"
LIMITS = SessionLimits(idle=timedelta(minutes=480), lifetime=timedelta(hours=72))


def browser(app, testapp, **environ) -> webtest.TestApp:
    """Another browser talking to the same app (and the test's transaction)."""
    return webtest.TestApp(app, extra_environ={**testapp.extra_environ, **environ})


def is_logged_in(testapp) -> bool:
    return testapp.get("/", status="*").status_int == 200


def sessions_of(dbsession, user) -> list[UserSession]:
    """The user's session rows as the database holds them (what requests changed, flushed)."""
    dbsession.flush()
    dbsession.expire_all()
    return list(
        dbsession.scalars(
            select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
        )
    )


def cookie_contents(testapp, app_settings) -> dict:
    """What the signed session cookie of ``testapp`` holds."""
    serializer = SignedSerializer(
        app_settings["session.secret"], "pyramid.session.", "sha512", serializer=JSONSerializer()
    )
    _renewed, _created, state = serializer.loads(testapp.cookies[COOKIE_NAME])
    return state


def age_sessions(dbsession, user, **ages: timedelta) -> None:
    """Move the ``created_at``/``last_seen_at`` of the user's sessions back by the given ages."""
    now = utcnow()
    dbsession.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id)
        .values({column: now - age for column, age in ages.items()})
    )


def test_logging_in_starts_a_session_kept_on_the_server(app, testapp, factory, dbsession):
    user = factory.user()
    firefox = browser(app, testapp, HTTP_USER_AGENT=FIREFOX_ON_WINDOWS, REMOTE_ADDR="198.51.100.7")
    login(firefox, user.login)
    [record] = sessions_of(dbsession, user)
    assert record.revoked_at is None
    assert record.remote_addr == "198.51.100.7"
    assert record.user_agent == FIREFOX_ON_WINDOWS
    assert record.created_at == record.last_seen_at


def test_the_cookie_carries_the_session_token_and_no_user_id(
    testapp, factory, dbsession, app_settings
):
    user = factory.user()
    login(testapp, user.login)
    state = cookie_contents(testapp, app_settings)
    assert "auth.userid" not in state
    [token] = [value for key, value in state.items() if key == "auth.token"]
    [record] = sessions_of(dbsession, user)
    assert record.token_hash == token_digest(token)
    assert str(user.id) not in {str(value) for value in state.values()}


def test_each_browser_gets_its_own_session(app, testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    login(browser(app, testapp), user.login)
    assert len(sessions_of(dbsession, user)) == 2


def test_a_saved_cookie_no_longer_works_after_logout(app, testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    saved_cookie = testapp.cookies[COOKIE_NAME]
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)}, status=303)
    [record] = sessions_of(dbsession, user)
    assert record.revoked_at is not None

    thief = browser(app, testapp)
    thief.set_cookie(COOKIE_NAME, saved_cookie)
    response = thief.get("/profile", status=303)
    assert response.location.startswith("http://example.com/login")


def test_logout_ends_only_the_session_logged_out_of(app, testapp, factory, dbsession):
    user = factory.user()
    other = browser(app, testapp)
    login(other, user.login)
    login(testapp, user.login)
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)}, status=303)
    assert is_logged_in(other)


def test_an_idle_session_ends(testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    age_sessions(dbsession, user, last_seen_at=timedelta(minutes=481))
    assert testapp.get("/", status=303).location.startswith("http://example.com/login")


def test_a_session_used_within_the_idle_timeout_goes_on_and_is_marked_seen(
    testapp, factory, dbsession
):
    user = factory.user()
    login(testapp, user.login)
    age_sessions(dbsession, user, last_seen_at=timedelta(minutes=470))
    assert is_logged_in(testapp)
    [record] = sessions_of(dbsession, user)
    assert utcnow() - record.last_seen_at < timedelta(minutes=1)


def test_a_session_ends_at_its_absolute_lifetime_even_while_in_use(testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    age_sessions(dbsession, user, created_at=timedelta(hours=71, minutes=59))
    assert is_logged_in(testapp)
    age_sessions(dbsession, user, created_at=timedelta(hours=72, minutes=1))
    assert not is_logged_in(testapp)


def test_the_limits_come_from_the_accounts_configuration():
    limits = SessionLimits.from_config({"session_idle_minutes": 30, "session_lifetime_hours": 12})
    assert limits == SessionLimits(idle=timedelta(minutes=30), lifetime=timedelta(hours=12))


def test_a_session_of_a_deactivated_user_is_not_live(factory, dbsession):
    user = factory.user()
    record, token = start_session(dbsession, user.id, remote_addr="", user_agent="")
    assert live_session(dbsession, token, LIMITS) is record
    user.is_active = False
    dbsession.flush()
    assert live_session(dbsession, token, LIMITS) is None


def test_an_unknown_or_empty_token_is_no_session(factory, dbsession):
    start_session(dbsession, factory.user().id, remote_addr="", user_agent="")
    assert live_session(dbsession, "", LIMITS) is None
    assert live_session(dbsession, "not a token anybody holds", LIMITS) is None


def test_last_seen_is_written_at_most_once_a_minute(factory, dbsession):
    record, token = start_session(dbsession, factory.user().id, remote_addr="", user_agent="")
    first_seen = record.last_seen_at
    live_session(dbsession, token, LIMITS)
    assert record.last_seen_at == first_seen
    assert record not in dbsession.dirty


@pytest.mark.parametrize(
    ("user_agent", "words"),
    [
        (FIREFOX_ON_WINDOWS, "Firefox on Windows"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
            " Chrome/126.0.0.0 Safari/537.36",
            "Chrome on macOS",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.5 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
            "like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0",
            "Opera on Linux",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.6478.122 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/126.0.0.0 Safari/537.36",
            "Chrome on Linux",
        ),
        (
            "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
            "Firefox on Linux",
        ),
        ("curl/8.5.0", "curl"),
        ("python-requests/2.32.3", "python-requests"),
        ("", "Unknown browser"),
    ],
)
def test_browsers_are_named_in_plain_words(user_agent, words):
    assert describe_user_agent(user_agent) == words
