"""services/authentication: password checks, the log it writes, throttling and hash upgrades."""

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from stalker_web.models import AuthenticationLog
from stalker_web.services.accounts import passwords
from stalker_web.services.accounts.authentication import (
    LoginRefused,
    authenticate,
    check_current_password,
    record_failed_attempt,
    record_logout,
)
from stalker_web.services.accounts.passwords import verify_password
from stalker_web.services.errors import ValidationError

from ...factories import Factory

ADDRESS = "203.0.113.5"
OTHER_ADDRESS = "198.51.100.1"
ACCOUNTS = {
    "max_failed_logins": 3,
    "login_backoff_max_minutes": 8,
    "failed_login_window_minutes": 15,
    "max_failed_logins_all_addresses": 6,
}
WRONG = "Wrong login or password, or the account is deactivated."


def log_of(dbsession, login: str) -> list[tuple]:
    rows = dbsession.execute(
        select(AuthenticationLog.action, AuthenticationLog.user_id, AuthenticationLog.remote_addr)
        .where(AuthenticationLog.login == login)
        .order_by(AuthenticationLog.id)
    )
    return [tuple(row) for row in rows]


def attempt(
    dbsession, login: str, password: str = Factory.PASSWORD, address: str = ADDRESS, known=()
):
    return authenticate(dbsession, login, password, address, ACCOUNTS, known_user_ids=known)


def fail(dbsession, login: str, address: str = ADDRESS) -> LoginRefused:
    with pytest.raises(LoginRefused) as refusal:
        attempt(dbsession, login, "wrong password", address)
    return refusal.value


def refused(dbsession, login: str, address: str = ADDRESS, known=()) -> str:
    """The message refusing the right password."""
    with pytest.raises(LoginRefused) as refusal:
        attempt(dbsession, login, address=address, known=known)
    return refusal.value.message


def age_the_log(dbsession, minutes: float) -> None:
    """Move every log entry ``minutes`` into the past, as if that time had gone by."""
    for entry in dbsession.scalars(select(AuthenticationLog)):
        entry.date -= timedelta(minutes=minutes)
    dbsession.flush()


class CountingHasher(PasswordHasher):
    """The real argon2 hasher, noting each hash it verifies."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified: list[str] = []

    def verify(self, hash, password):  # noqa: A002 - argon2-cffi's parameter name
        self.verified.append(hash)
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch):
    counting = CountingHasher()
    monkeypatch.setattr(passwords, "_hasher", counting)
    return counting


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


def test_an_unknown_login_costs_an_argon2_verification_like_a_known_one(dbsession, factory, hasher):
    user = factory.user()
    fail(dbsession, user.login)
    fail(dbsession, "nobody")
    assert len(hasher.verified) == 2
    known, unknown = hasher.verified
    assert known == user.password_hash
    assert unknown.startswith("$argon2id$")
    assert unknown.rsplit("$", 2)[0] == known.rsplit("$", 2)[0]  # the same cost


def test_deactivated_user_is_refused_after_the_same_verification(dbsession, factory, hasher):
    user = factory.user()
    user.is_active = False
    with pytest.raises(LoginRefused) as refusal:
        attempt(dbsession, user.login)
    assert refusal.value.message == WRONG
    assert len(hasher.verified) == 1
    assert log_of(dbsession, user.login) == [("failed", user.id, ADDRESS)]


def test_logging_in_does_not_count_as_an_edit_of_the_user(dbsession, factory):
    user = factory.user()
    version = user.version_id
    attempt(dbsession, user.login)
    assert user.version_id == version


def test_too_many_failures_make_this_address_wait_even_for_the_right_password(dbsession, factory):
    user = factory.user()
    for _ in range(ACCOUNTS["max_failed_logins"]):
        fail(dbsession, user.login)
    message = refused(dbsession, user.login)
    assert "Too many failed attempts. Try again in 1 minute" in message
    assert log_of(dbsession, user.login)[-1] == ("locked", user.id, ADDRESS)


def test_the_wait_doubles_with_each_further_failure_up_to_the_cap(dbsession, factory):
    user = factory.user()
    for _ in range(ACCOUNTS["max_failed_logins"]):
        fail(dbsession, user.login)
    for minutes in (1, 2, 4, 8, 8):
        assert f"Try again in {minutes} minute" in refused(dbsession, user.login)
        age_the_log(dbsession, minutes - 0.1)
        assert "Try again in 1 minute" in refused(dbsession, user.login)
        age_the_log(dbsession, 0.2)
        fail(dbsession, user.login)
    age_the_log(dbsession, 8.1)
    assert attempt(dbsession, user.login) is user


def test_a_successful_login_starts_the_count_again(dbsession, factory):
    user = factory.user()
    for _ in range(ACCOUNTS["max_failed_logins"] - 1):
        fail(dbsession, user.login)
    assert attempt(dbsession, user.login) is user
    for _ in range(ACCOUNTS["max_failed_logins"] - 1):
        fail(dbsession, user.login)
    assert attempt(dbsession, user.login) is user


def test_alternating_login_and_email_counts_against_the_same_account(dbsession, factory):
    user = factory.user()
    for number in range(ACCOUNTS["max_failed_logins"]):
        fail(dbsession, user.email if number % 2 else user.login)
    assert "Too many failed attempts" in refused(dbsession, user.email)


def test_failures_at_one_address_do_not_make_another_address_wait(dbsession, factory):
    user = factory.user()
    for _ in range(ACCOUNTS["max_failed_logins"]):
        fail(dbsession, user.login)
    assert attempt(dbsession, user.login, address=OTHER_ADDRESS) is user


def test_one_address_may_fail_four_times_the_limit_across_logins(dbsession, factory):
    user = factory.user()
    allowance = ACCOUNTS["max_failed_logins"] * 4
    for number in range(allowance - 1):
        fail(dbsession, f"guess{number}")
    assert attempt(dbsession, user.login) is user
    fail(dbsession, "guess-last")
    assert "paused for up to 15 minutes" in refused(dbsession, user.login)
    assert attempt(dbsession, user.login, address=OTHER_ADDRESS) is user


def test_failures_from_many_addresses_pause_the_login_but_not_a_known_browser(dbsession, factory):
    user = factory.user()
    for number in range(ACCOUNTS["max_failed_logins_all_addresses"]):
        fail(dbsession, user.login, address=f"192.0.2.{number + 1}")
    assert "paused for up to 15 minutes" in refused(dbsession, user.login, address=OTHER_ADDRESS)
    assert "paused" in refused(dbsession, user.login, address=OTHER_ADDRESS, known=[user.id + 1])
    assert attempt(dbsession, user.login, address=OTHER_ADDRESS, known=[user.id]) is user


def test_failures_older_than_the_window_no_longer_count(dbsession, factory):
    user = factory.user()
    for number in range(ACCOUNTS["max_failed_logins_all_addresses"]):
        fail(dbsession, user.login, address=f"192.0.2.{number + 1}")
    age_the_log(dbsession, 16)
    assert attempt(dbsession, user.login, address=OTHER_ADDRESS) is user


def test_a_huge_login_is_logged_cut_to_256_characters(dbsession):
    fail(dbsession, "x" * 100_000)
    logged = dbsession.scalars(select(AuthenticationLog.login)).all()
    assert logged == ["x" * 256]
    record_failed_attempt(dbsession, "y" * 30_000, ADDRESS)
    dbsession.flush()
    assert {len(login) for login in dbsession.scalars(select(AuthenticationLog.login))} == {256}


def test_a_hash_made_with_other_parameters_is_upgraded_at_login(dbsession, factory):
    user = factory.user()
    old_hash = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(Factory.PASSWORD)
    user.password_hash = old_hash
    dbsession.flush()
    attempt(dbsession, user.login)
    assert user.password_hash != old_hash
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, Factory.PASSWORD)


def test_a_two_factor_user_is_not_logged_in_by_the_password_alone(dbsession, factory):
    user = factory.user()
    user.totp_enabled = True
    assert attempt(dbsession, user.login) is user
    assert user.last_login is None
    assert log_of(dbsession, user.login) == []


def test_a_wrong_current_password_is_logged_and_throttled_like_a_login(dbsession, factory):
    user = factory.user()

    def confirm(password):
        check_current_password(
            dbsession, user, password, remote_addr=ADDRESS, accounts_config=ACCOUNTS
        )

    for _ in range(ACCOUNTS["max_failed_logins"]):
        with pytest.raises(ValidationError, match="not your current password") as wrong:
            confirm("wrong password")
        assert wrong.value.field == "current_password"
    with pytest.raises(ValidationError, match="Try again in 1 minute"):
        confirm(Factory.PASSWORD)
    assert log_of(dbsession, user.login) == [("failed", user.id, ADDRESS)] * 3 + [
        ("locked", user.id, ADDRESS)
    ]


def test_record_logout_logs_the_user_and_address(dbsession, factory):
    user = factory.user()
    record_logout(dbsession, user, ADDRESS)
    dbsession.flush()
    assert log_of(dbsession, user.login) == [("logout", user.id, ADDRESS)]
