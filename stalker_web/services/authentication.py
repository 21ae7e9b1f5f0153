"""Logging in and out: password checks, the authentication log and login throttling."""

from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from ..models import AuthenticationLog, User
from ..models.authentication_log import FAILED, LOCKED, LOGIN, LOGOUT
from ..models.meta import utcnow
from ..models.user import normalize_login
from .passwords import hash_password, needs_rehash, verify_password

# One address may try this many times more often than one login, so a shared office NAT
# is not locked out by a single colleague's typos.
ADDRESS_ALLOWANCE = 4


class LoginRefused(Exception):
    """Login failed; ``message`` is what to show (never says whether the login exists)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _recent_failures(
    dbsession: Session, login: str, user_id: int | None, remote_addr: str, since
) -> tuple[int, int]:
    """Failed or locked attempts since ``since``: on this account (by login typed or by user,
    so alternating login and e-mail gains nothing) and from this address."""
    is_failure = AuthenticationLog.action.in_((FAILED, LOCKED))
    same_account = AuthenticationLog.login == login
    if user_id is not None:
        same_account = or_(same_account, AuthenticationLog.user_id == user_id)
    by_account = dbsession.scalar(
        select(func.count()).where(is_failure, same_account, AuthenticationLog.date >= since)
    )
    by_address = dbsession.scalar(
        select(func.count()).where(
            is_failure,
            AuthenticationLog.remote_addr == remote_addr,
            AuthenticationLog.date >= since,
        )
    )
    return by_account, by_address


def authenticate(
    dbsession: Session,
    login_or_email: str,
    password: str,
    remote_addr: str,
    accounts_config: dict,
) -> User:
    """Return the user these credentials belong to, or raise :class:`LoginRefused`.

    Every attempt is written to the authentication log. After ``max_failed_logins`` failures
    for one login within the window (or four times as many from one address), further attempts
    are refused, even with the right password, until the window has passed.
    """
    typed = (login_or_email or "").strip().lower()
    login = typed if "@" in typed else normalize_login(typed)
    window = timedelta(minutes=int(accounts_config["failed_login_window_minutes"]))
    limit = int(accounts_config["max_failed_logins"])
    now = utcnow()
    since = now - window

    user = dbsession.scalars(
        select(User).where(or_(User.login == login, User.email == typed))
    ).one_or_none()
    user_id = user.id if user else None
    by_account, by_address = _recent_failures(dbsession, login, user_id, remote_addr, since)
    if by_account >= limit or by_address >= limit * ADDRESS_ALLOWANCE:
        dbsession.add(
            AuthenticationLog(user_id=user_id, login=login, action=LOCKED, remote_addr=remote_addr)
        )
        minutes = int(window.total_seconds() // 60)
        raise LoginRefused(
            f"Too many failed attempts. Logging in is paused for up to {minutes} minutes; "
            "try again later or ask an administrator."
        )

    if user is None or not user.is_active or not verify_password(user.password_hash, password):
        dbsession.add(
            AuthenticationLog(
                user_id=user_id,
                login=login,
                action=FAILED,
                remote_addr=remote_addr,
            )
        )
        raise LoginRefused("Wrong login or password, or the account is deactivated.")

    # A plain UPDATE: logging in is not an edit, so it must not bump the optimistic lock.
    refreshed = {"last_login": now}
    if needs_rehash(user.password_hash):
        refreshed["password_hash"] = hash_password(password)
    dbsession.execute(
        update(User).where(User.id == user.id).values(**refreshed),
        execution_options={"synchronize_session": "fetch"},
    )
    dbsession.add(AuthenticationLog(user=user, login=login, action=LOGIN, remote_addr=remote_addr))
    return user


def record_logout(dbsession: Session, user: User, remote_addr: str) -> None:
    dbsession.add(
        AuthenticationLog(user=user, login=user.login, action=LOGOUT, remote_addr=remote_addr)
    )
