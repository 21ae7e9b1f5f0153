"""Composing e-mails: ``OutgoingMail`` rows written in the transaction that calls for them, and
their ids handed to the job queue once it has committed (a rolled-back change sends nothing).

Bodies are plain text rendered from the templates of ``templates/mail/`` (a studio may replace
them with its own, ``mail.templates``). As every template people may write, they render in an
immutable sandbox from plain frozen values built for them (``MailValues``), never ORM objects.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import make_msgid
from functools import cached_property
from pathlib import Path
from typing import Protocol

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from sqlalchemy.orm import Session

from ...models import OutgoingMail, User
from ..activity.sentences import Target
from .after_commit import call_after_commit, transaction_memo
from .settings import MailSettings

log = logging.getLogger(__name__)

TEMPLATE_DIRECTORY = Path(__file__).resolve().parents[2] / "templates" / "mail"
NOTIFICATION_TEMPLATE = "notification.txt.jinja2"
DIGEST_TEMPLATE = "digest.txt.jinja2"
SUBJECT_LENGTH = 256
_PENDING = "mail.pending"


class Links(Protocol):
    """Absolute addresses for mails: of a record's target, and of a page by route name."""

    def target(self, target: Target | None) -> str | None: ...

    def page(self, route_name: str) -> str: ...


@dataclass(frozen=True)
class Notice:
    """One notification as a mail shows it: the sentence, a note's first words, the address of
    what it is about (empty: none), why the person is told, and when (digests)."""

    sentence: str
    excerpt: str = ""
    link: str = ""
    reason: str = ""
    when: str = ""


@dataclass(frozen=True)
class MailValues:
    """Everything a mail template may use: whom it greets, the notices (``more``: how many a
    digest leaves out), and the addresses of the inbox and of the person's preferences."""

    recipient: str
    notices: tuple[Notice, ...]
    inbox_url: str
    preferences_url: str
    more: int = 0


def shortened(text: str, length: int) -> str:
    """``text`` on one line, cut with "…" to at most ``length`` characters."""
    line = " ".join(text.split())
    return line if len(line) <= length else line[: length - 1] + "…"


class Outbox:
    """Writes the mails of one app (its settings, its links) and hands each to ``hand_over``
    (the job queue) after the commit."""

    def __init__(
        self, settings: MailSettings, links: Links, hand_over: Callable[[int], None]
    ) -> None:
        self.settings = settings
        self.links = links
        self.hand_over = hand_over

    @cached_property
    def environment(self) -> ImmutableSandboxedEnvironment:
        folders = [self.settings.templates] if self.settings.templates else []
        return ImmutableSandboxedEnvironment(
            loader=jinja2.FileSystemLoader([*folders, str(TEMPLATE_DIRECTORY)]),
            autoescape=False,  # noqa: S701 - plain-text mail, never shown as HTML
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def values(self, recipient: User, notices: list[Notice], more: int = 0) -> MailValues:
        """The template values of a mail to ``recipient``."""
        return MailValues(
            recipient=recipient.name,
            notices=tuple(notices),
            inbox_url=self.links.page("inbox"),
            preferences_url=self.links.page("profile.notifications"),
            more=more,
        )

    def write(
        self, dbsession: Session, recipient: User, subject: str, template: str, values: MailValues
    ) -> OutgoingMail:
        """Queue a mail to ``recipient``: its row now, its hand-over after the commit."""
        mail = OutgoingMail(
            recipient_id=recipient.id,
            to_address=recipient.email,
            subject=shortened(subject, SUBJECT_LENGTH),
            body=self.environment.get_template(template).render(values=values),
            message_id=make_msgid(domain=self.settings.domain),
        )
        dbsession.add(mail)
        dbsession.flush()
        self._pending(dbsession)[mail.id] = None
        return mail

    def withdraw(self, dbsession: Session, mail: OutgoingMail) -> None:
        """Take back a mail written in this transaction: it is neither kept nor sent."""
        self._pending(dbsession).pop(mail.id, None)
        dbsession.delete(mail)

    def _pending(self, dbsession: Session) -> dict[int, None]:
        """The ids of the mails written in this transaction, handed over once it commits."""
        state = transaction_memo(dbsession, _PENDING)
        if "ids" not in state:
            ids: dict[int, None] = {}
            state["ids"] = ids
            call_after_commit(dbsession, lambda: self._hand_over_all(list(ids)))
        return state["ids"]

    def _hand_over_all(self, mail_ids: list[int]) -> None:
        for mail_id in mail_ids:
            try:
                self.hand_over(mail_id)
            except Exception:  # it stays queued; the worker's hourly sweep hands it over again
                log.exception("could not hand mail %s to the job queue", mail_id)
