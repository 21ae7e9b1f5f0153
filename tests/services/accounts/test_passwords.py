"""services/passwords: the NIST SP 800-63B rules and the shipped list of common passwords."""

import concurrent.futures
import fnmatch
import threading
from importlib import resources
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from stalker_web.services.accounts import passwords
from stalker_web.services.accounts.passwords import (
    COMMON_PASSWORDS_FILE,
    check_password_rules,
    common_passwords,
)
from stalker_web.services.accounts.users import AssignmentRights, create_user, update_user
from stalker_web.services.errors import ValidationError

COMMON = "This password is among the most common ones; choose a longer phrase."
LOGIN = "anaartist"
EMAIL = "ana.lead@example.com"


def refusal(password: str, login: str = LOGIN, email: str = EMAIL) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        check_password_rules(password, login, 10, email=email)
    return refused.value


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",
        "no digits, no capitals, still fine",
        "ünïcode pass phrase ✓ 密码",
        "tabs\tand  double  spaces inside",
        "x" * 1024,
    ],
)
def test_any_characters_are_allowed_without_composition_rules(password):
    check_password_rules(password, LOGIN, 10, email=EMAIL)


def test_a_password_is_refused_below_the_minimum_and_above_1024_characters():
    assert refusal("short").message == "Use at least 10 characters."
    too_long = refusal("x" * 1025)
    assert too_long.message == "Use at most 1,024 characters."
    assert too_long.field == "password"


@pytest.mark.parametrize("password", ["password123", "1q2w3e4r5t", "QwertyUiop", "ILOVEYOU123"])
def test_the_most_common_passwords_are_refused_whatever_their_case(password):
    assert refusal(password).message == COMMON


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("AnaArtist1", "cannot be the login"),
        ("my anaartist secret", "cannot be the login"),
        ("Ana.Lead rocks the show", "the part of the e-mail address before the @"),
        ("ana.lead", "the part of the e-mail address before the @"),
    ],
)
def test_passwords_built_on_the_login_or_the_email_name_are_refused(password, message):
    with pytest.raises(ValidationError, match=message):
        check_password_rules(password, LOGIN, 8, email=EMAIL)


def test_a_short_login_may_appear_inside_a_longer_phrase_but_not_be_the_password():
    check_password_rules("bobsled racing in the alps", "bob", 10, email="bob@example.com")
    with pytest.raises(ValidationError, match="cannot be the login"):
        check_password_rules("bob", "bob", 1, email="bob@example.com")


def test_the_common_list_ships_in_the_package_and_is_read_once():
    shipped = resources.files("stalker_web.config").joinpath(COMMON_PASSWORDS_FILE)
    assert shipped.is_file()
    assert shipped.read_text("utf-8").startswith("# ")
    common_passwords.cache_clear()
    assert common_passwords.cache_info().currsize == 0
    first = common_passwords()
    assert common_passwords() is first
    assert common_passwords.cache_info().misses == 1
    assert len(first) > 8000
    assert not any(entry.startswith("# ") for entry in first)


def test_the_source_distribution_takes_the_common_list():
    root = Path(__file__).resolve().parents[3]
    included = [
        line.split()[1:]
        for line in (root / "MANIFEST.in").read_text().splitlines()
        if line.startswith("recursive-include ")
    ]
    assert any(
        directory == "stalker_web/config"
        and any(fnmatch.fnmatch(COMMON_PASSWORDS_FILE, pattern) for pattern in patterns)
        for directory, *patterns in included
    )


def test_creating_and_editing_a_user_check_the_email_name(dbsession, studio_config):
    minimum = studio_config["accounts"]["password_min_length"]
    with pytest.raises(ValidationError, match="before the @") as refused:
        create_user(
            dbsession,
            name="Ana",
            login="anaartist",
            email="ana.lead@example.com",
            password="ana.lead forever and ever",
            password_min_length=minimum,
        )
    assert refused.value.field == "password"
    user = create_user(
        dbsession,
        name="Ana",
        login="anaartist",
        email="ana.lead@example.com",
        password="a sound pass phrase",
        password_min_length=minimum,
    )
    with pytest.raises(ValidationError, match="before the @"):
        update_user(
            dbsession,
            user,
            submitted_version=user.version_id,
            name=user.name,
            login=user.login,
            email="grace.hopper@example.com",
            password="Grace.Hopper's pass phrase",
            password_min_length=minimum,
            must_change_password=False,
            efficiency=1.0,
            rate=0.0,
            group_ids=None,
            department_id=None,
            role_id=None,
            rights=AssignmentRights(),
        )


class CountingHasher(PasswordHasher):
    """The real argon2 hasher, counting the verifications running at once. Each waits until
    ``wanted`` run together (or ``patience`` seconds pass), so that the count reaches any
    concurrency the process allows, whatever the threads' timing."""

    def __init__(self, wanted: int, patience: float) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.wanted = wanted
        self.patience = patience
        self.running = 0
        self.peak = 0
        self.changed = threading.Condition()

    def verify(self, hash, password):  # noqa: A002 - argon2-cffi's parameter name
        with self.changed:
            self.running += 1
            self.peak = max(self.peak, self.running)
            self.changed.notify_all()
            self.changed.wait_for(lambda: self.running >= self.wanted, timeout=self.patience)
        try:
            return super().verify(hash, password)
        finally:
            with self.changed:
                self.running -= 1


def peak_of_verifications(app_settings, monkeypatch, cap: int, counting: CountingHasher) -> int:
    """Verify one password from four threads at once with ``argon2.max_concurrent = cap``."""
    threads = 4
    passwords.configure_hasher({**app_settings, "argon2.max_concurrent": str(cap)})
    monkeypatch.setattr(passwords, "_hasher", counting)
    password_hash = counting.hash("a long enough secret")
    try:
        with concurrent.futures.ThreadPoolExecutor(threads) as pool:
            verified = list(
                pool.map(
                    lambda _: passwords.verify_password(password_hash, "a long enough secret"),
                    range(threads),
                )
            )
    finally:
        passwords.configure_hasher(app_settings)
    assert verified == [True] * threads
    return counting.peak


@pytest.mark.parametrize("cap", [1, 2])
def test_concurrent_verifications_never_exceed_the_cap(app_settings, monkeypatch, cap):
    # Each waits a second for one more than the cap to join it: none may.
    counting = CountingHasher(wanted=cap + 1, patience=1)
    assert peak_of_verifications(app_settings, monkeypatch, cap, counting) == cap


def test_without_a_tighter_cap_the_verifications_run_together(app_settings, monkeypatch):
    """The counter sees concurrency where it is allowed: the test above can fail."""
    counting = CountingHasher(wanted=4, patience=30)
    assert peak_of_verifications(app_settings, monkeypatch, 4, counting) == 4


def test_a_cap_below_one_is_refused(app_settings):
    with pytest.raises(ValueError, match="argon2.max_concurrent must be at least 1"):
        passwords.configure_hasher({**app_settings, "argon2.max_concurrent": "0"})
    passwords.configure_hasher(app_settings)
