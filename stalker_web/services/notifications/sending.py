"""Sending one queued mail: the worker's job, safe to run twice.

The mail's row is read with a lock (``FOR UPDATE`` where the database has it) and skipped unless
still queued, so a job run again (a retry, a second worker, the hourly sweep) never sends a mail
twice. Each attempt is counted; a failure keeps its error and raises ``MailNotSent`` so that the
queue tries again later, until the last attempt marks the mail failed.
"""

import os
import smtplib
import ssl
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import MailState, OutgoingMail
from ...models.meta import utcnow
from .settings import MailSettings

ERROR_LENGTH = 2_000
# A queued mail never tried for this long was lost on its way to the queue (it could not be
# reached after the commit): the sweep hands it over again.
STRANDED_AFTER = timedelta(minutes=15)


class MailNotSent(RuntimeError):
    """This attempt failed; the mail stays queued for the next one."""


def message_of(mail: OutgoingMail, settings: MailSettings) -> EmailMessage:
    """The mail as an RFC 5322 message (plain text, UTF-8)."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.date_created)
    message["Message-ID"] = mail.message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body)
    return message


def deliver_by_smtp(message: EmailMessage, settings: MailSettings) -> None:
    """Hand ``message`` to the SMTP server of the settings."""
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_seconds) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password)
        smtp.send_message(message)


def deliver_to_file(message: EmailMessage, settings: MailSettings, name: str) -> None:
    """Write ``message`` as ``<name>.eml`` in the settings' folder (whole or not at all)."""
    folder = settings.folder
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as stream:
        stream.write(message.as_bytes())
    os.replace(temporary, folder / f"{name}.eml")


def deliver(message: EmailMessage, settings: MailSettings, name: str) -> None:
    """Send ``message`` the way ``mail.mode`` says."""
    if settings.mode == "files":
        deliver_to_file(message, settings, name)
    else:
        deliver_by_smtp(message, settings)


def send_mail(
    session_factory: Callable[[], Session],
    mail_id: int,
    settings: MailSettings,
    now: Callable[[], datetime] = utcnow,
) -> str:
    """Try to send mail ``mail_id`` once; what happened ("sent", "missing", "failed", or the
    state that made it skip). Raises ``MailNotSent`` when this attempt failed and another
    follows."""
    failure: Exception | None = None
    with session_factory() as dbsession, dbsession.begin():
        mail = dbsession.scalars(
            select(OutgoingMail).where(OutgoingMail.id == mail_id).with_for_update()
        ).one_or_none()
        if mail is None:
            return "missing"
        if mail.state is not MailState.QUEUED:
            return f"already {mail.state.value}"
        mail.attempts += 1
        try:
            deliver(message_of(mail, settings), settings, f"{mail.id:08d}")
        except Exception as error:
            failure = error
            mail.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
            if mail.attempts >= settings.attempts:
                mail.state = MailState.FAILED
        else:
            mail.state, mail.sent_at, mail.last_error = MailState.SENT, now(), ""
        state, attempts = mail.state, mail.attempts
    if failure is None:
        return "sent"
    if state is MailState.FAILED:
        return "failed"
    raise MailNotSent(f"mail {mail_id}: attempt {attempts} failed ({failure})") from failure


def stranded_mail_ids(dbsession: Session, now: datetime) -> list[int]:
    """Queued mails never tried since long before ``now``: their hand-over to the queue failed."""
    return list(
        dbsession.scalars(
            select(OutgoingMail.id)
            .where(
                OutgoingMail.state == MailState.QUEUED,
                OutgoingMail.attempts == 0,
                OutgoingMail.date_created < now - STRANDED_AFTER,
            )
            .order_by(OutgoingMail.id)
        )
    )
