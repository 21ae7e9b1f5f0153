"""What people are told of, and how: the kinds of notification, with their words, and each
person's channel per kind (inbox, e-mail, daily digest or off; no row: the kind's default)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...models import NotificationChannel, NotificationPreference, User
from ..errors import ValidationError


class NotificationKind(StrEnum):
    """What a notification is about (``NotificationPreference.kind``)."""

    STATUS = "status"
    REVIEW_REQUEST = "review_request"
    REVIEW_ANSWER = "review_answer"
    NOTE = "note"
    MENTION = "mention"
    TICKET = "ticket"
    DAILY = "daily"


@dataclass(frozen=True)
class KindWords:
    """A kind as the preferences page shows it, with the channel people get without choosing."""

    kind: NotificationKind
    label: str
    description: str
    default: NotificationChannel


KINDS = (
    KindWords(
        NotificationKind.MENTION,
        "Mentions",
        "Someone names you with @ in a note.",
        NotificationChannel.EMAIL,
    ),
    KindWords(
        NotificationKind.REVIEW_REQUEST,
        "Review requests",
        "Someone asks you to review their work.",
        NotificationChannel.EMAIL,
    ),
    KindWords(
        NotificationKind.REVIEW_ANSWER,
        "Review answers",
        "A reviewer approves your work or asks for changes.",
        NotificationChannel.EMAIL,
    ),
    KindWords(
        NotificationKind.STATUS,
        "Status changes",
        "A task you work on, watch or are responsible for changes status.",
        NotificationChannel.INBOX,
    ),
    KindWords(
        NotificationKind.NOTE,
        "Notes",
        "Someone writes a note on a task, version or review of yours, or on your ticket.",
        NotificationChannel.INBOX,
    ),
    KindWords(
        NotificationKind.TICKET,
        "Tickets",
        "A ticket you own or reported changes.",
        NotificationChannel.INBOX,
    ),
    KindWords(
        NotificationKind.DAILY,
        "Dailies",
        "A daily that showed versions of your tasks is closed.",
        NotificationChannel.INBOX,
    ),
)
DEFAULTS = {words.kind: words.default for words in KINDS}
CHANNEL_LABELS = {
    NotificationChannel.INBOX: "Inbox",
    NotificationChannel.EMAIL: "Inbox and e-mail",
    NotificationChannel.DIGEST: "Inbox and daily digest",
    NotificationChannel.OFF: "Off",
}


def channels(
    dbsession: Session, wanted: Iterable[tuple[int, NotificationKind]]
) -> dict[tuple[int, NotificationKind], NotificationChannel]:
    """The channel of each (user id, kind) in ``wanted``: one query for all of them."""
    wanted = set(wanted)
    chosen = {}
    if wanted:
        rows = dbsession.execute(
            select(
                NotificationPreference.user_id,
                NotificationPreference.kind,
                NotificationPreference.channel,
            ).where(
                NotificationPreference.user_id.in_({user_id for user_id, _kind in wanted}),
                NotificationPreference.kind.in_({kind.value for _user_id, kind in wanted}),
            )
        )
        chosen = {(user_id, kind): channel for user_id, kind, channel in rows}
    return {key: chosen.get(key, DEFAULTS[key[1]]) for key in wanted}


def preferences_of(dbsession: Session, user: User) -> dict[NotificationKind, NotificationChannel]:
    """``user``'s channel for every kind, defaults filled in."""
    chosen = channels(dbsession, [(user.id, words.kind) for words in KINDS])
    return {words.kind: chosen[(user.id, words.kind)] for words in KINDS}


def save_preferences(dbsession: Session, user: User, chosen: Mapping[str, str]) -> None:
    """Keep ``user``'s channel per kind (kind value -> channel value); a kind left out keeps its
    channel. Only choices that differ from the default are stored, so a changed default reaches
    everybody who never chose."""
    parsed: dict[NotificationKind, NotificationChannel] = {}
    for kind_value, channel_value in chosen.items():
        try:
            kind = NotificationKind(kind_value)
        except ValueError:
            raise ValidationError(f"There is no kind of notification {kind_value!r}.") from None
        try:
            parsed[kind] = NotificationChannel(channel_value)
        except ValueError:
            raise ValidationError(
                "Choose inbox, inbox and e-mail, inbox and daily digest, or off.", kind.value
            ) from None
    if not parsed:
        return
    dbsession.execute(
        delete(NotificationPreference).where(
            NotificationPreference.user_id == user.id,
            NotificationPreference.kind.in_([kind.value for kind in parsed]),
        )
    )
    dbsession.add_all(
        NotificationPreference(user_id=user.id, kind=kind.value, channel=channel)
        for kind, channel in parsed.items()
        if channel is not DEFAULTS[kind]
    )
    dbsession.flush()
