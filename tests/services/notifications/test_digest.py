"""The daily digest: one mail per person gathering what they chose to be told of once a day and
have not read yet; then those notifications are digested."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from stalker_web.links import MailLinks
from stalker_web.models import Notification, OutgoingMail
from stalker_web.services.notifications.digest import digest_due, send_digests
from stalker_web.services.notifications.inbox import inbox_page, mark_read
from stalker_web.services.notifications.mail import Outbox
from stalker_web.services.notifications.settings import MailSettings
from stalker_web.services.tasks.progress import studio_calendar

from .test_inbox import watched_changes

NOW = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)


def digest_outbox() -> Outbox:
    settings = MailSettings.from_settings({"mail.base_url": "https://stalker.example.com"})
    return Outbox(settings, MailLinks(settings.base_url), lambda mail_id: None)


def test_one_mail_gathers_the_unread_and_everything_waiting_is_digested(
    dbsession, crew, publishing, prefer
):
    prefer(crew.watcher, status="digest")
    watched_changes(dbsession, crew, publishing)
    newest = inbox_page(dbsession, crew.watcher).items[0]
    mark_read(dbsession, crew.watcher, [newest.notification_id])

    assert send_digests(dbsession, digest_outbox(), NOW) == 1

    (mail,) = dbsession.scalars(select(OutgoingMail))
    assert mail.recipient_id == crew.watcher.id
    assert mail.subject == "Your daily digest: 1 notification"
    assert "Ana Artist moved FLM / Animation from Ready To Start to Work In Progress." in mail.body
    assert "to On Hold" not in mail.body  # read in the inbox already
    assert f"https://stalker.example.com/tasks/{crew.shot.id}" in mail.body
    waiting = dbsession.scalars(select(Notification).where(Notification.channel == "digest"))
    assert {notification.digested_at for notification in waiting} == {NOW}
    assert send_digests(dbsession, digest_outbox(), NOW + timedelta(days=1)) == 0


def test_nothing_waiting_sends_nothing(dbsession, crew, publishing):
    watched_changes(dbsession, crew, publishing)  # inbox channel: no digest
    assert send_digests(dbsession, digest_outbox(), NOW) == 0
    assert list(dbsession.scalars(select(OutgoingMail))) == []


def test_the_digest_goes_at_its_hour_of_the_studios_day(dbsession):
    studio_calendar(dbsession).time_zone = "Europe/Paris"  # UTC+1 in March
    assert digest_due(dbsession, NOW, 8)
    assert not digest_due(dbsession, NOW, 7)
