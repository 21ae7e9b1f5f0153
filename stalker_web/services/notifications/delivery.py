"""Telling people of an activity record: a ``Notification`` each through the channel they chose
for its kind (none when off), and an e-mail at once for the "e-mail" channel.

One click often publishes several events about one task: a review request with a note is a
note, a status change and the request; an answer is a note, a status change and the answer.
So within one transaction a person is told of a task (or ticket, or daily) the most specific
way only (review request, review answer, daily, ticket, note, status change; a review's notice
carries the words of the note said with it): a notice replaces the less specific ones written
before it, mails included, and is not written after a more specific one. Mentions stand apart:
whoever is mentioned is always told.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...events import Event
from ...models import Activity, Notification, NotificationChannel, OutgoingMail, Project, User
from ..activity.sentences import Wording
from .after_commit import transaction_memo
from .mail import NOTIFICATION_TEMPLATE, Notice, Outbox
from .preferences import NotificationKind, channels
from .recipients import REASON_WORDS, Recipient, recipients

SPECIFICITY = (
    NotificationKind.REVIEW_REQUEST,
    NotificationKind.REVIEW_ANSWER,
    NotificationKind.DAILY,
    NotificationKind.TICKET,
    NotificationKind.NOTE,
    NotificationKind.STATUS,
)
_RANK = {kind: rank for rank, kind in enumerate(SPECIFICITY)}
_TOLD = "notifications.told"


@dataclass
class _Told:
    """A notice written in this transaction, which a more specific one may replace."""

    rank: int
    notification: Notification
    mail: OutgoingMail | None


def _subject(activity: Activity) -> tuple[str, int] | None:
    """What a notice is about, for telling each person once per transaction."""
    for column in ("ticket_id", "daily_id", "task_id"):
        value = getattr(activity, column)
        if value is not None:
            return column, value
    return None


def notify(
    dbsession: Session, activity: Activity, event: Event, outbox: Outbox | None
) -> list[Notification]:
    """Write the notifications of ``activity`` (and, through ``outbox``, their e-mails)."""
    told = recipients(dbsession, activity, event)
    if not told:
        return []
    chosen = channels(dbsession, [(recipient.user_id, recipient.kind) for recipient in told])
    memo = transaction_memo(dbsession, _TOLD)
    subject = _subject(activity)
    written: list[tuple[Recipient, Notification]] = []
    for recipient in told:
        channel = chosen[(recipient.user_id, recipient.kind)]
        if channel is NotificationChannel.OFF:
            continue
        ranked = subject is not None and recipient.kind in _RANK
        key = (recipient.user_id, subject)
        if ranked and not _outranks_earlier(dbsession, memo, key, recipient.kind, outbox):
            continue
        notification = Notification(
            recipient_id=recipient.user_id,
            activity_id=activity.id,
            reason=recipient.reason.value,
            channel=channel,
        )
        written.append((recipient, notification))
    dbsession.add_all(notification for _recipient, notification in written)
    dbsession.flush()
    emailed = [pair for pair in written if pair[1].channel is NotificationChannel.EMAIL]
    mails = _write_mails(dbsession, activity, emailed, outbox) if outbox and emailed else {}
    for recipient, notification in written:
        if subject is not None and recipient.kind in _RANK:
            memo.setdefault((recipient.user_id, subject), []).append(
                _Told(_RANK[recipient.kind], notification, mails.get(recipient.user_id))
            )
    return [notification for _recipient, notification in written]


def _outranks_earlier(
    dbsession: Session, memo: dict, key: tuple, kind: NotificationKind, outbox: Outbox | None
) -> bool:
    """Whether a notice of ``kind`` is to be written for ``key`` (person, subject): not when
    this transaction told them of it more specifically already; the less specific notices it
    replaces are withdrawn."""
    rank = _RANK[kind]
    earlier = [notice for notice in memo.get(key, []) if notice.notification in dbsession]
    if any(notice.rank < rank for notice in earlier):
        return False
    for notice in earlier:
        if notice.rank > rank:
            _withdraw(dbsession, notice, outbox)
    return True


def _withdraw(dbsession: Session, earlier: _Told, outbox: Outbox | None) -> None:
    dbsession.delete(earlier.notification)
    if earlier.mail is not None and outbox is not None:
        outbox.withdraw(dbsession, earlier.mail)


def _write_mails(
    dbsession: Session,
    activity: Activity,
    emailed: list[tuple[Recipient, Notification]],
    outbox: Outbox,
) -> dict[int, OutgoingMail]:
    """One mail per person told by e-mail, the sentence worded for them."""
    ids = [recipient.user_id for recipient, _notification in emailed]
    users = {user.id: user for user in dbsession.scalars(select(User).where(User.id.in_(ids)))}
    wording = Wording.load(dbsession, [activity])
    project = dbsession.get(Project, activity.project_id)
    code = f"[{project.code}] " if project is not None else ""
    mails = {}
    for recipient, _notification in emailed:
        sentence = wording.sentence(activity, recipient.user_id)
        notice = Notice(
            sentence=sentence.text,
            excerpt=sentence.excerpt,
            link=outbox.links.target(sentence.target) or "",
            reason=REASON_WORDS[recipient.reason],
        )
        user = users[recipient.user_id]
        mails[user.id] = outbox.write(
            dbsession,
            user,
            code + sentence.text,
            NOTIFICATION_TEMPLATE,
            outbox.values(user, [notice]),
        )
    return mails
