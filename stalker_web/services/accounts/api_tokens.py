"""Personal API tokens: made with a name, a scope and an expiry, shown once, kept as the SHA-256
of their secret, listed and revoked by their owner; and the per-token request count that rate
limits them (one UPDATE per request, which also records the last use).

A secret reads ``swt_<prefix>_<random>``: the prefix is shown in lists so people tell their
tokens apart; the whole secret is needed to sign in. Secrets are 256 random bits, so a plain
SHA-256 (no salt, no slow hash) keeps them safe at rest and lets a request find its token with
one indexed lookup.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session, joinedload

from ...models import ApiToken, TokenScope, User
from ...models.api import TOKEN_NAME_LENGTH
from ...models.meta import utcnow
from ..errors import ValidationError

SECRET_PREFIX = "swt_"  # noqa: S105 - how every secret starts, not a secret
PREFIX_LENGTH = 8
# The longest a token may live; people choose a shorter expiry, or none up to this.
MAX_LIFETIME_DAYS = 366
RATE_WINDOW = timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    dbsession: Session,
    user: User,
    *,
    name: str | None,
    scope: str | None,
    expires_at: datetime | None,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Make a token of ``user``; returns it and its secret (shown once, never stored)."""
    now = now or utcnow()
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Name the token after the tool that uses it.", "name")
    if len(name) > TOKEN_NAME_LENGTH:
        raise ValidationError(f"Use at most {TOKEN_NAME_LENGTH} characters.", "name")
    try:
        chosen_scope = TokenScope(scope)
    except ValueError as error:
        raise ValidationError("Choose read only, or read and write.", "scope") from error
    if expires_at is not None:
        if expires_at <= now:
            raise ValidationError("Choose a day after today.", "expires_at")
        if expires_at > now + timedelta(days=MAX_LIFETIME_DAYS):
            raise ValidationError(
                f"A token lives at most {MAX_LIFETIME_DAYS} days; choose an earlier day.",
                "expires_at",
            )
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    secret = f"{SECRET_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        user_id=user.id,
        name=name,
        scope=chosen_scope,
        prefix=prefix,
        token_hash=_hash(secret),
        expires_at=expires_at,
        date_created=now,
    )
    dbsession.add(token)
    dbsession.flush()
    return token, secret


def user_tokens(dbsession: Session, user: User) -> list[ApiToken]:
    """The tokens of ``user`` that still sign in or ended in the last 30 days, newest first."""
    recent = utcnow() - timedelta(days=30)
    return list(
        dbsession.scalars(
            select(ApiToken)
            .where(
                ApiToken.user_id == user.id,
                or_(ApiToken.revoked_at.is_(None), ApiToken.revoked_at > recent),
            )
            .order_by(ApiToken.id.desc())
        )
    )


def revoke_token(dbsession: Session, token: ApiToken) -> None:
    """End ``token`` now (nothing happens to one already revoked)."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()


def is_live(token: ApiToken, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return token.revoked_at is None and (token.expires_at is None or token.expires_at > now)


def token_for_secret(dbsession: Session, secret: str) -> ApiToken | None:
    """The live token whose secret this is, its active user loaded in the same query; None
    for anything else (unknown, revoked, expired, a deactivated user, a malformed secret)."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 128:
        return None
    token = dbsession.scalars(
        select(ApiToken)
        .where(ApiToken.token_hash == _hash(secret))
        .options(joinedload(ApiToken.user))
    ).one_or_none()
    if token is None or not is_live(token) or not token.user.is_active:
        return None
    return token


@dataclass(frozen=True)
class RateState:
    """A token's requests in the current window, the limit, and when the window ends."""

    count: int
    limit: int
    resets_at: datetime

    @property
    def exceeded(self) -> bool:
        return self.count > self.limit

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)


def rate_state(token: ApiToken, limit: int, now: datetime | None = None) -> RateState:
    """Where ``token`` stands in its one-minute window, this request counted (from the row as
    the request read it)."""
    now = now or utcnow()
    started = token.window_started
    if started is None or started <= now - RATE_WINDOW:
        return RateState(count=1, limit=limit, resets_at=now + RATE_WINDOW)
    return RateState(count=token.window_count + 1, limit=limit, resets_at=started + RATE_WINDOW)


def count_request(dbsession: Session, token: ApiToken, now: datetime | None = None) -> None:
    """Count one request of the token in its one-minute window (a new window once the last
    has ended) and note its last use: one UPDATE, safe from several processes at once."""
    now = now or utcnow()
    fresh = or_(ApiToken.window_started.is_(None), ApiToken.window_started <= now - RATE_WINDOW)
    dbsession.execute(
        update(ApiToken)
        .where(ApiToken.id == token.id)
        .values(
            window_count=case((fresh, 1), else_=ApiToken.window_count + 1),
            window_started=case((fresh, now), else_=ApiToken.window_started),
            last_used_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    dbsession.expire(token, ["window_count", "window_started", "last_used_at"])
