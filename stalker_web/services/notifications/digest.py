"""The daily digest: one mail per person gathering the notifications of the kinds they chose
"daily digest" for that no digest carried yet and that they have not read in the inbox since.

The worker runs it every hour and sends at ``mail.digest_hour`` of the studio's day
(``digest_due``); ``stalker-web <ini> send-digests`` sends at once. Every waiting notification is
marked digested, read or not, so the next digest starts where this one ended.
"""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import Notification, NotificationChannel, User
from ...time_zones import format_moment, to_local
from ..activity.sentences import Wording
from ..tasks.progress import studio_calendar
from .mail import DIGEST_TEMPLATE, Notice, Outbox
from .recipients import REASON_WORDS

# The notices one digest lists; the rest are counted ("and 12 more in your inbox").
DIGEST_LENGTH = 50
WHEN_FORMAT = "%a %d %b, %H:%M"


def digest_due(dbsession: Session, now: datetime, hour: int) -> bool:
    """Whether ``now`` falls in hour ``hour`` of the studio's day (its time zone)."""
    return to_local(now, studio_calendar(dbsession).time_zone).hour == hour


def send_digests(dbsession: Session, outbox: Outbox, now: datetime) -> int:
    """Write each person's digest mail; how many were written."""
    waiting = list(
        dbsession.scalars(
            select(Notification)
            .where(
                Notification.channel == NotificationChannel.DIGEST,
                Notification.digested_at.is_(None),
            )
            .options(joinedload(Notification.activity), joinedload(Notification.recipient))
            .order_by(Notification.recipient_id, Notification.id)
        )
    )
    unread: dict[User, list[Notification]] = defaultdict(list)
    for notification in waiting:
        notification.digested_at = now
        if notification.read_at is None and notification.recipient.is_active:
            unread[notification.recipient].append(notification)
    if not unread:
        dbsession.flush()
        return 0
    studio_zone = studio_calendar(dbsession).time_zone
    shown = {user: notifications[-DIGEST_LENGTH:] for user, notifications in unread.items()}
    wording = Wording.load(
        dbsession, {n.activity for notifications in shown.values() for n in notifications}
    )
    for user, notifications in shown.items():
        notices = []
        for notification in reversed(notifications):
            sentence = wording.sentence(notification.activity, user.id)
            notices.append(
                Notice(
                    sentence=sentence.text,
                    excerpt=sentence.excerpt,
                    link=outbox.links.target(sentence.target) or "",
                    reason=REASON_WORDS.get(notification.reason, ""),
                    when=format_moment(sentence.when, user.time_zone or studio_zone, WHEN_FORMAT),
                )
            )
        count = len(unread[user])
        outbox.write(
            dbsession,
            user,
            f"Your daily digest: {count} notification{'' if count == 1 else 's'}",
            DIGEST_TEMPLATE,
            outbox.values(user, notices, more=count - len(notices)),
        )
    return len(shown)
