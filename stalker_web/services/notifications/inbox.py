"""A person's inbox: their notifications newest first, each with its record in words, how many
they have not read (one indexed count, shown on every page), and marking them read."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from ...models import Notification, User
from ...models.meta import utcnow
from ...pagination import KeysetPage, keyset_page
from ..activity.sentences import Sentence, Wording
from .recipients import REASON_WORDS


@dataclass(frozen=True)
class InboxItem:
    """One notification as the inbox shows it."""

    notification_id: int
    sentence: Sentence
    reason: str
    read: bool


def unread_count(dbsession: Session, user_id: int) -> int:
    """How many of ``user_id``'s notifications are unread (one count on an index)."""
    return dbsession.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
    )


def inbox_page(
    dbsession: Session,
    user: User,
    *,
    unread_only: bool = False,
    before: int | None = None,
    after: int | None = None,
    per_page: int = 50,
) -> KeysetPage:
    """A page of ``user``'s notifications newest first (``InboxItem``s): a fixed number of
    statements whatever the page holds."""
    statement = (
        select(Notification)
        .where(Notification.recipient_id == user.id)
        .options(joinedload(Notification.activity))
    )
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    page = keyset_page(
        dbsession,
        statement,
        Notification.id,
        before=before,
        after=after,
        per_page=per_page,
        params={"unread": "1" if unread_only else ""},
    )
    wording = Wording.load(dbsession, [notification.activity for notification in page.items])
    page.items = [
        InboxItem(
            notification_id=notification.id,
            sentence=wording.sentence(notification.activity, user.id),
            reason=REASON_WORDS.get(notification.reason, ""),
            read=notification.read_at is not None,
        )
        for notification in page.items
    ]
    return page


def mark_read(
    dbsession: Session, user: User, notification_ids: list[int], now: datetime | None = None
) -> int:
    """Mark these notifications of ``user`` read (others' are left alone); how many were
    unread."""
    if not notification_ids:
        return 0
    return dbsession.execute(
        update(Notification)
        .where(
            Notification.recipient_id == user.id,
            Notification.id.in_(notification_ids),
            Notification.read_at.is_(None),
        )
        .values(read_at=now or utcnow())
    ).rowcount


def mark_all_read(dbsession: Session, user: User, now: datetime | None = None) -> int:
    """Mark every unread notification of ``user`` read; how many there were."""
    return dbsession.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
    ).rowcount
