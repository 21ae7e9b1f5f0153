"""Server-side sign-in sessions: started at login, checked on every request, revocable.

The browser keeps a random token in its (signed) session cookie; the database keeps only the
token's SHA-256 in :class:`~stalker_web.models.UserSession`. A session is alive while it is not
revoked, was seen within the idle timeout and is younger than the absolute lifetime.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, contains_eager

from ...models import User, UserSession
from ...models.meta import utcnow

TOKEN_BYTES = 32
USER_AGENT_MAX_LENGTH = 256
# last_seen_at is written at most this often, so most requests write nothing.
SEEN_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionLimits:
    """How long a session may stay idle, and how long it may live at all."""

    idle: timedelta
    lifetime: timedelta

    @classmethod
    def from_config(cls, accounts_config: dict) -> "SessionLimits":
        return cls(
            idle=timedelta(minutes=int(accounts_config["session_idle_minutes"])),
            lifetime=timedelta(hours=int(accounts_config["session_lifetime_hours"])),
        )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    dbsession: Session, user_id: int, *, remote_addr: str, user_agent: str
) -> tuple[UserSession, str]:
    """Record a new session of ``user_id``; returns it and the token the browser keeps."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = utcnow()
    record = UserSession(
        user_id=user_id,
        token_hash=token_digest(token),
        created_at=now,
        last_seen_at=now,
        remote_addr=(remote_addr or "")[:64],
        user_agent=(user_agent or "")[:USER_AGENT_MAX_LENGTH],
    )
    dbsession.add(record)
    dbsession.flush()
    return record, token


def _alive(limits: SessionLimits, now: datetime):
    return (
        UserSession.revoked_at.is_(None),
        UserSession.last_seen_at > now - limits.idle,
        UserSession.created_at > now - limits.lifetime,
    )


def live_session(dbsession: Session, token: str, limits: SessionLimits) -> UserSession | None:
    """The live session holding ``token`` (its last use refreshed), or None.

    The session's user comes in the same query (a deactivated user has no live session), read
    afresh even if already in the session.
    """
    if not token:
        return None
    now = utcnow()
    record = dbsession.scalars(
        select(UserSession)
        .join(UserSession.user)
        .where(
            UserSession.token_hash == token_digest(token),
            *_alive(limits, now),
            User.is_active.is_(True),
        )
        .options(contains_eager(UserSession.user))
        .execution_options(populate_existing=True)
    ).one_or_none()
    if record is not None and now - record.last_seen_at >= SEEN_RESOLUTION:
        record.last_seen_at = now
    return record


def _revoke(dbsession: Session, *conditions) -> int:
    """End the live sessions matching ``conditions``; how many were ended."""
    result = dbsession.execute(
        update(UserSession)
        .where(UserSession.revoked_at.is_(None), *conditions)
        .values(revoked_at=utcnow()),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount


def revoke_session(dbsession: Session, session_id: int, *, user_id: int | None = None) -> bool:
    """End one session (only if it belongs to ``user_id`` when given); whether one was ended."""
    conditions = [UserSession.id == session_id]
    if user_id is not None:
        conditions.append(UserSession.user_id == user_id)
    return bool(_revoke(dbsession, *conditions))


def revoke_user_sessions(
    dbsession: Session, user_id: int, *, except_session_id: int | None = None
) -> int:
    """End every session of ``user_id`` (but ``except_session_id``); how many were ended."""
    conditions = [UserSession.user_id == user_id]
    if except_session_id is not None:
        conditions.append(UserSession.id != except_session_id)
    return _revoke(dbsession, *conditions)


def active_sessions(dbsession: Session, user_id: int, limits: SessionLimits) -> list[UserSession]:
    """The user's live sessions, most recently used first."""
    return list(
        dbsession.scalars(
            select(UserSession)
            .where(UserSession.user_id == user_id, *_alive(limits, utcnow()))
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


# Browser and system names, first match wins: several browsers also name the ones they copy.
_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(?:e|A|iOS)?/")),
    ("Opera", re.compile(r"\bOPR/|\bOpera\b")),
    ("Firefox", re.compile(r"\bFirefox/|\bFxiOS/")),
    ("Chromium", re.compile(r"\bChromium/")),
    ("Chrome", re.compile(r"\b(?:Headless)?Chrome/|\bCriOS/")),
    ("Safari", re.compile(r"\bVersion/[\d.]+.*\bSafari/")),
)
_SYSTEMS = (
    ("iPhone", re.compile(r"\biPhone\b")),
    ("iPad", re.compile(r"\biPad\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b|\bX11\b")),
)
_PROGRAM = re.compile(r"[A-Za-z][\w.-]{0,39}(?=/)")


def describe_user_agent(user_agent: str) -> str:
    """A browser's User-Agent in plain words, such as "Firefox on Windows"."""
    user_agent = user_agent or ""
    browser = next((name for name, pattern in _BROWSERS if pattern.search(user_agent)), None)
    system = next((name for name, pattern in _SYSTEMS if pattern.search(user_agent)), None)
    if browser is None:
        program = _PROGRAM.match(user_agent)
        if program is None or program.group() == "Mozilla":
            return f"A browser on {system}" if system else "Unknown browser"
        return program.group()
    return f"{browser} on {system}" if system else browser
