"""The API's records: per-user tokens, the answers kept for idempotent retries, and webhooks
with their deliveries.

An ``ApiToken`` is shown once when made; only the SHA-256 of its secret is kept. Its rate-limit
window (``window_started``, ``window_count``) and ``last_used_at`` are updated by one statement
per request. An ``IdempotencyRecord`` keeps the answer to a create sent with an
``Idempotency-Key``, so a tool that retries after a dropped connection gets the same answer and
never a second object. A ``Webhook`` posts the events of the kinds it chose to its URL, each
``WebhookDelivery`` signed with the hook's secret, retried with back-off and logged with the
receiver's answer; each try is a ``WebhookAttempt``, so the log shows every answer.
"""

from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .meta import Base, UTCDateTime, utcnow
from .project import Project
from .schedule import enum_column_type
from .user import User

TOKEN_NAME_LENGTH = 64
IDEMPOTENCY_KEY_LENGTH = 255
WEBHOOK_URL_LENGTH = 2048


class TokenScope(StrEnum):
    """What a token may do: read only, or read and write."""

    READ = "read"
    WRITE = "write"


class ApiToken(Base):
    """A person's named API token; revoked, or past ``expires_at``, it no longer signs in."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_user_id_revoked_at", "user_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_LENGTH))
    scope: Mapped[TokenScope] = mapped_column(enum_column_type(TokenScope))
    # The first characters of the secret, shown in lists so people tell their tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at = mapped_column(UTCDateTime, nullable=True)
    revoked_at = mapped_column(UTCDateTime, nullable=True)
    last_used_at = mapped_column(UTCDateTime, nullable=True)
    window_started = mapped_column(UTCDateTime, nullable=True)
    window_count: Mapped[int] = mapped_column(Integer, default=0)
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user: Mapped[User] = relationship()


class IdempotencyRecord(Base):
    """The answer given to ``user``'s request sent with ``key``: a retry with the same key and
    the same request (``request_hash``) gets it again; another request with the key is refused."""

    __tablename__ = "api_idempotency_records"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(IDEMPOTENCY_KEY_LENGTH))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[Any] = mapped_column(JSON)
    location: Mapped[str] = mapped_column(String(2048), default="")
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)


class DeliveryState(StrEnum):
    """Where a webhook delivery is: waiting (first try or a retry), received (a 2xx answer), or
    given up after its last try."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class Webhook(Base):
    """A URL told of the events of ``kinds`` (of one project, or the whole studio when
    ``project`` is None); ``secret`` signs each delivery."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_LENGTH))
    url: Mapped[str] = mapped_column(String(WEBHOOK_URL_LENGTH))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    secret: Mapped[str] = mapped_column(String(128))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    project: Mapped[Project | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version_id}


class WebhookDelivery(Base):
    """One event sent (or to send) to a hook: the JSON ``payload``, the tries so far, and the
    receiver's last answer (status and the start of its body) or the error that stopped it."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_webhook_id_id", "webhook_id", "id"),
        Index("ix_webhook_deliveries_state_next_try_at", "state", "next_try_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    event_kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[DeliveryState] = mapped_column(
        enum_column_type(DeliveryState), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at = mapped_column(UTCDateTime, nullable=True)
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
    # The delivery this one sends again (a replay from the log).
    replay_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="SET NULL")
    )
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    delivered_at = mapped_column(UTCDateTime, nullable=True)

    webhook: Mapped[Webhook] = relationship()
    tries: Mapped[list["WebhookAttempt"]] = relationship(
        order_by="WebhookAttempt.id", passive_deletes=True
    )


class WebhookAttempt(Base):
    """One try of a delivery: when, and the receiver's answer (status and the start of its
    body) or the error that stopped it."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True
    )
    tried_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str] = mapped_column(Text, default="")
