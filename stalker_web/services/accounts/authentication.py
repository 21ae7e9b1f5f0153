"""Logging in and out: password checks, the authentication log and login throttling.

Throttling never lets a stranger lock a user out from everywhere:

- one login from one address may fail ``max_failed_logins`` times; then that address waits
  1 minute before its next try, twice as long after each further failure, up to
  ``login_backoff_max_minutes`` (the count starts again after a successful login from there);
- one address may fail four times as often within ``failed_login_window_minutes``, whatever the
  logins (so a shared office address is not locked out by one colleague's typos);
- one login may fail ``max_failed_logins_all_addresses`` times from all addresses within the
  window; then it is paused everywhere except in a browser that signed in as that user before.

Wrong second-step codes and wrong current passwords (on the password and two-factor pages) are
failed attempts too: logged and counted the same way.
"""

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ...models import AuthenticationLog, User
from ...models.authentication_log import FAILED, LOCKED, LOGIN, LOGOUT
from ...models.meta import utcnow
from ...models.user import normalize_login
from ..errors import ValidationError
from .passwords import dummy_hash, hash_password, needs_rehash, verify_password

# The longest login kept in the log (the column's size); longer ones are cut.
LOGIN_MAX_LENGTH = 256
# One address may fail this many times more often than one login from it.
ADDRESS_ALLOWANCE = 4
# Failures older than this no longer lengthen the wait of a login at an address.
BACKOFF_MEMORY = timedelta(hours=24)
FIRST_WAIT = timedelta(minutes=1)
WRONG_CREDENTIALS = "Wrong login or password, or the account is deactivated."


class LoginRefused(Exception):
    """Login failed; ``message`` is what to show (never says whether the login exists)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Throttle:
    """How many failures are allowed, and how long the waits are (the ``[accounts]`` keys)."""

    per_login_at_address: int
    backoff_max: timedelta
    window: timedelta
    per_address: int
    per_login: int

    @classmethod
    def from_config(cls, accounts_config: dict) -> "Throttle":
        limit = int(accounts_config["max_failed_logins"])
        return cls(
            per_login_at_address=limit,
            backoff_max=timedelta(minutes=int(accounts_config["login_backoff_max_minutes"])),
            window=timedelta(minutes=int(accounts_config["failed_login_window_minutes"])),
            per_address=limit * ADDRESS_ALLOWANCE,
            per_login=int(accounts_config["max_failed_logins_all_addresses"]),
        )

    def backoff(self, failures: int) -> timedelta:
        """The wait after ``failures`` failures in a row of one login at one address."""
        if failures < self.per_login_at_address:
            return timedelta(0)
        doublings = min(failures - self.per_login_at_address, 30)
        return min(FIRST_WAIT * 2**doublings, self.backoff_max)


@dataclass(frozen=True)
class Attempt:
    """Who is trying: the login as typed (cut to the log's size), the account it names if
    any, and from where."""

    login: str
    user_id: int | None
    remote_addr: str

    def log(self, dbsession: Session, action: str) -> None:
        """Write this attempt to the authentication log as ``action``."""
        dbsession.add(
            AuthenticationLog(
                user_id=self.user_id,
                login=self.login[:LOGIN_MAX_LENGTH],
                action=action,
                remote_addr=self.remote_addr[:64],
                date=utcnow(),
            )
        )


def _same_account(attempt: Attempt):
    """Log rows of the attempt's account: by login typed, or by user, so alternating the login
    and the e-mail gains nothing."""
    same = AuthenticationLog.login == attempt.login[:LOGIN_MAX_LENGTH]
    if attempt.user_id is not None:
        same = or_(same, AuthenticationLog.user_id == attempt.user_id)
    return same


def _failures_in_window(dbsession: Session, *conditions) -> int:
    return dbsession.scalar(
        select(func.count()).where(AuthenticationLog.action == FAILED, *conditions)
    )


def _backoff_until(
    dbsession: Session, attempt: Attempt, throttle: Throttle, now: datetime
) -> datetime | None:
    """When the account may be tried again from the attempt's address, if it must wait."""
    here = (_same_account(attempt), AuthenticationLog.remote_addr == attempt.remote_addr)
    last_login = dbsession.scalar(
        select(func.max(AuthenticationLog.date)).where(
            *here, AuthenticationLog.action == LOGIN, AuthenticationLog.date >= now - BACKOFF_MEMORY
        )
    )
    since = last_login or now - BACKOFF_MEMORY
    failures, last_failure = dbsession.execute(
        select(func.count(), func.max(AuthenticationLog.date)).where(
            *here, AuthenticationLog.action == FAILED, AuthenticationLog.date > since
        )
    ).one()
    wait = throttle.backoff(failures)
    if wait and last_failure + wait > now:
        return last_failure + wait
    return None


def refusal_message(
    dbsession: Session,
    attempt: Attempt,
    throttle: Throttle,
    *,
    known_browser: bool = False,
) -> str | None:
    """Why the attempt must be refused before its password or code is even checked, or None.

    ``known_browser``: the attempt comes from a browser that signed in as this user before, so
    failures from other addresses do not pause it.
    """
    now = utcnow()
    until = _backoff_until(dbsession, attempt, throttle, now)
    if until is not None:
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        unit = "minute" if minutes == 1 else "minutes"
        return f"Too many failed attempts. Try again in {minutes} {unit}, or ask an administrator."
    since = AuthenticationLog.date >= now - throttle.window
    paused = _failures_in_window(
        dbsession, AuthenticationLog.remote_addr == attempt.remote_addr, since
    ) >= throttle.per_address or (
        not known_browser
        and _failures_in_window(dbsession, _same_account(attempt), since) >= throttle.per_login
    )
    if paused:
        minutes = int(throttle.window.total_seconds() // 60)
        return (
            f"Too many failed attempts. Logging in is paused for up to {minutes} minutes; "
            "try again later, from a browser you signed in with before, or ask an administrator."
        )
    return None


def authenticate(
    dbsession: Session,
    login_or_email: str,
    password: str,
    remote_addr: str,
    accounts_config: dict,
    *,
    known_user_ids: Collection[int] = (),
) -> User:
    """Return the user these credentials belong to, or raise :class:`LoginRefused`.

    Every attempt is written to the authentication log, and refused while throttled (see the
    module's docstring), even with the right password. ``known_user_ids`` are the users this
    browser signed in as before. An unknown login costs a password verification too, so timing
    does not tell which logins exist. A user with two-factor sign-in is not logged in yet: the
    second step records the login (:func:`record_login`).
    """
    typed = (login_or_email or "").strip().lower()[:LOGIN_MAX_LENGTH]
    login = typed if "@" in typed else normalize_login(typed)
    user = dbsession.scalars(
        select(User).where(or_(User.login == login, User.email == typed))
    ).one_or_none()
    attempt = Attempt(login=login, user_id=user.id if user else None, remote_addr=remote_addr)
    refusal = refusal_message(
        dbsession,
        attempt,
        Throttle.from_config(accounts_config),
        known_browser=user is not None and user.id in known_user_ids,
    )
    if refusal:
        attempt.log(dbsession, LOCKED)
        raise LoginRefused(refusal)

    password_matches = verify_password(user.password_hash if user else dummy_hash(), password)
    if user is None or not user.is_active or not password_matches:
        attempt.log(dbsession, FAILED)
        raise LoginRefused(WRONG_CREDENTIALS)

    if needs_rehash(user.password_hash):
        _update_user(dbsession, user, password_hash=hash_password(password))
    if not user.totp_enabled:
        record_login(dbsession, user, login, remote_addr)
    return user


def _update_user(dbsession: Session, user: User, **values) -> None:
    """A plain UPDATE: logging in is not an edit, so it must not bump the optimistic lock."""
    dbsession.execute(
        update(User).where(User.id == user.id).values(**values),
        execution_options={"synchronize_session": False},
    )
    dbsession.expire(user, list(values))


def record_login(dbsession: Session, user: User, login: str, remote_addr: str) -> None:
    """Note that ``user`` signed in (typing ``login``): the last login date and the log."""
    _update_user(dbsession, user, last_login=utcnow())
    Attempt(login=login, user_id=user.id, remote_addr=remote_addr).log(dbsession, LOGIN)


def check_current_password(
    dbsession: Session,
    user: User,
    password: str,
    *,
    remote_addr: str,
    accounts_config: dict,
    field: str = "current_password",
) -> None:
    """Confirm a signed-in user's password before a sensitive change; a wrong one is logged and
    throttled like a failed login. Raises :class:`ValidationError` under ``field``."""
    attempt = Attempt(login=user.login, user_id=user.id, remote_addr=remote_addr)
    refusal = refusal_message(
        dbsession, attempt, Throttle.from_config(accounts_config), known_browser=True
    )
    if refusal:
        attempt.log(dbsession, LOCKED)
        raise ValidationError(refusal, field)
    if not verify_password(user.password_hash, password or ""):
        attempt.log(dbsession, FAILED)
        raise ValidationError("That is not your current password.", field)


def record_failed_attempt(dbsession: Session, login: str, remote_addr: str) -> None:
    """Log an attempt refused before its password was checked (a login too long to be one);
    it counts against the address like any failure."""
    Attempt(login=login or "", user_id=None, remote_addr=remote_addr).log(dbsession, FAILED)


def record_logout(dbsession: Session, user: User, remote_addr: str) -> None:
    """Note that ``user`` logged out."""
    Attempt(login=user.login, user_id=user.id, remote_addr=remote_addr).log(dbsession, LOGOUT)
