"""Logging in and out through the real forms."""

from sqlalchemy import select

from stalker_web.models import AuthenticationLog

from ...conftest import login


def test_login_with_the_right_password_lands_on_the_home_page(testapp, factory):
    user = factory.user(name="Ana Artist")
    response = login(testapp, user.login).follow()
    assert "Welcome, Ana Artist" in response.text


def test_login_records_the_event(testapp, factory, dbsession):
    user = factory.user()
    login(testapp, user.login)
    actions = dbsession.scalars(
        select(AuthenticationLog.action).where(AuthenticationLog.user_id == user.id)
    ).all()
    assert actions == ["login"]


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(testapp, factory):
    user = factory.user()
    response = login(testapp, user.login, "not the password", status=400)
    assert "Wrong login or password" in response.text


def test_anonymous_user_is_sent_to_login_with_a_next_link(testapp):
    response = testapp.get("/?tab=x", status=303)
    assert response.location == "http://example.com/login?next=%2F%3Ftab%3Dx"
