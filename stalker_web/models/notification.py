"""Notifications: what reached whom, how each person wants each kind, and the mail outbox.

A ``Notification`` tells ``recipient`` about one ``Activity`` (``reason``: why they were told,
as watcher, resource, responsible, reviewer, owner, reporter or mentioned). Each person picks a
``NotificationChannel`` per kind (``NotificationPreference``; no row: the kind's default).
``OutgoingMail`` is the outbox the worker sends from after commit: a mail is sent once (``state``
and ``message_id`` make a retried job skip a mail already handed to the SMTP server).
"""

from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .activity import Activity
from .meta import Base, UTCDateTime, utcnow
from .schedule import enum_column_type
from .user import User


class NotificationChannel(StrEnum):
    """How a person is told of a kind of activity: the inbox only, the inbox and an e-mail each
    time, the inbox and one e-mail a day, or not at all."""

    INBOX = "inbox"
    EMAIL = "email"
    DIGEST = "digest"
    OFF = "off"


class MailState(StrEnum):
    """Where an outgoing mail is: waiting for the worker, handed to the SMTP server, or given up
    after its retries."""

    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"


class Notification(Base):
    """``recipient`` was told of ``activity``; ``read_at`` once they marked it read;
    ``digested_at`` once a daily digest carried it."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_recipient_id_id", "recipient_id", "id"),
        Index("ix_notifications_recipient_id_read_at", "recipient_id", "read_at"),
        Index("ix_notifications_channel_digested_at", "channel", "digested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activities.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(String(32))
    channel: Mapped[NotificationChannel] = mapped_column(enum_column_type(NotificationChannel))
    read_at = mapped_column(UTCDateTime)
    digested_at = mapped_column(UTCDateTime)
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    recipient: Mapped[User] = relationship()
    activity: Mapped[Activity] = relationship()


class NotificationPreference(Base):
    """``user``'s channel for one ``kind`` of activity."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[NotificationChannel] = mapped_column(enum_column_type(NotificationChannel))


class OutgoingMail(Base):
    """One e-mail to send: queued in the transaction that caused it, sent by the worker."""

    __tablename__ = "outgoing_mails"
    __table_args__ = (Index("ix_outgoing_mails_state_id", "state", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    to_address: Mapped[str] = mapped_column(String(256))
    subject: Mapped[str] = mapped_column(String(256))
    body: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(256), unique=True)
    state: Mapped[MailState] = mapped_column(enum_column_type(MailState), default=MailState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    sent_at = mapped_column(UTCDateTime)
