"""services/authentication: password checks, the log it writes, throttling and hash upgrades."""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from stalker_web.models import AuthenticationLog
from stalker_web.models.meta import utcnow
from stalker_web.services.authentication import LoginRefused, authenticate, record_logout
from stalker_web.services.passwords import verify_password

from ..factories import Factory

ADDRESS = "203.0.113.5"
ACCOUNTS = {"max_failed_logins": 3, "failed_login_window_minutes": 15}
WRONG = "Wrong login or password, or the account is deactivated."


def log_of(dbsession, login: str) -> list[tuple]:
    rows = dbsession.execute(
        select(AuthenticationLog.action, AuthenticationLog.user_id, AuthenticationLog.remote_addr)
        .where(AuthenticationLog.login == login)
        .order_by(AuthenticationLog.id)
    )
    return [tuple(row) for row in rows]


def attempt(dbsession, login: str, password: str = Factory.PASSWORD, address: str = ADDRESS):
    return authenticate(dbsession, login, password, address, ACCOUNTS)


def fail(dbsession, login: str, address: str = ADDRESS) -> LoginRefused:
    with pytest.raises(LoginRefused) as refusal:
        attempt(dbsession, login, "wrong password", address)
    return refusal.value


def test_right_password_returns_the_user_and_logs_the_login(dbsession, factory):
    user = factory.user()
    assert user.last_login is None
    assert attempt(dbsession, user.login) is user
    assert user.last_login is not None
    assert log_of(dbsession, user.login) == [("login", user.id, ADDRESS)]


def test_login_is_found_by_email_or_by_login_typed_loosely(dbsession, factory):
    user = factory.user(login="anaartist", email="ana@example.com")
    assert attempt(dbsession, "  Ana@Example.COM ") is user
    assert attempt(dbsession, " Ana Artist ") is user


def test_wrong_password_is_refused_and_logged_against_the_user(dbsession, factory):
    user = factory.user()
    assert fail(dbsession, user.login).message == WRONG
    assert log_of(dbsession, user.login) == [("failed", user.id, ADDRESS)]


def test_unknown_login_gets_the_same_answer_and_keeps_the_login_typed(dbsession):
    assert fail(dbsession, "nobody").message == WRONG
    assert log_of(dbsession, "nobody") == [("failed", None, ADDRESS)]


def test_deactivated_user_cannot_log_in_even_with_the_right_password(dbsession, factory):
    user = factory.user()
    user.is_active = False
    with pytest.raises(LoginRefused) as refusal:
        attempt(dbsession, user.login)
    assert refusal.value.message == WRONG
    assert log_of(dbsession, user.login) == [("failed", user.id, ADDRESS)]


def test_logging_in_does_not_count_as_an_edit_of_the_user(dbsession, factory):
    user = factory.user()
    version = user.version_id
    attempt(dbsession, user.login)
    assert user.version_id == version


def test_too_many_failures_lock_the_login_even_for_the_right_password(dbsession, factory):
    user = factory.user()
    for _ in range(ACCOUNTS["max_failed_logins"]):
        fail(dbsession, user.login)
    with pytest.raises(LoginRefused) as refusal:
        attempt(dbsession, user.login)
    assert "Too many failed attempts" in refusal.value.message
    assert "15 minutes" in refusal.value.message
    assert log_of(dbsession, user.login)[-1] == ("locked", user.id, ADDRESS)


def test_alternating_login_and_email_counts_against_the_same_account(dbsession, factory):
    user = factory.user()
    for number in range(ACCOUNTS["max_failed_logins"]):
        fail(dbsession, user.email if number % 2 else user.login)
    with pytest.raises(LoginRefused, match="Too many failed attempts"):
        attempt(dbsession, user.email)


def test_one_failure_less_than_the_limit_still_lets_the_right_password_in(dbsession, factory):
    user = factory.user()
    for _ in range(ACCOUNTS["max_failed_logins"] - 1):
        fail(dbsession, user.login)
    assert attempt(dbsession, user.login) is user


def test_failures_older_than_the_window_no_longer_count(dbsession, factory):
    user = factory.user()
    for _ in range(ACCOUNTS["max_failed_logins"]):
        fail(dbsession, user.login)
    dbsession.execute(
        update(AuthenticationLog)
        .where(AuthenticationLog.login == user.login)
        .values(date=utcnow() - timedelta(minutes=16))
    )
    assert attempt(dbsession, user.login) is user


def test_one_address_may_fail_four_times_the_limit_across_logins(dbsession, factory):
    user = factory.user()
    allowance = ACCOUNTS["max_failed_logins"] * 4
    for number in range(allowance - 1):
        fail(dbsession, f"guess{number}")
    assert attempt(dbsession, user.login) is user
    fail(dbsession, "guess-last")
    with pytest.raises(LoginRefused, match="Too many failed attempts"):
        attempt(dbsession, user.login)
    assert attempt(dbsession, user.login, address="198.51.100.1") is user


def test_a_hash_made_with_other_parameters_is_upgraded_at_login(dbsession, factory):
    user = factory.user()
    old_hash = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(Factory.PASSWORD)
    user.password_hash = old_hash
    dbsession.flush()
    attempt(dbsession, user.login)
    assert user.password_hash != old_hash
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, Factory.PASSWORD)


def test_record_logout_logs_the_user_and_address(dbsession, factory):
    user = factory.user()
    record_logout(dbsession, user, ADDRESS)
    dbsession.flush()
    assert log_of(dbsession, user.login) == [("logout", user.id, ADDRESS)]
