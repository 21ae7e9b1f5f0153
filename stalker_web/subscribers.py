"""The app's subscribers to the domain events: every event becomes its activity record and the
notifications (with their e-mails) it calls for, and the webhook deliveries of the hooks told of
it, written in the session that published it, so they commit or roll back with the change; the
mails and deliveries reach the job queue after the commit.

One subscriber is registered per event class (``config.add_subscriber``); the worker builds the
app from the same ini, so the events of its sessions (a schedule run's end) arrive here too.
"""

from .events import (
    DailyClosed,
    NoteAdded,
    NoteEdited,
    ReviewAnswered,
    ReviewRequested,
    ScheduleFinished,
    TaskStatusChanged,
    TicketChanged,
    TimeLogged,
    VersionPublished,
    publishing_session,
)
from .links import MailLinks
from .queue import job_queue
from .services.activity.recording import record_activity
from .services.notifications.delivery import notify
from .services.notifications.mail import Outbox
from .services.notifications.settings import MailSettings
from .services.webhooks.payloads import WEBHOOK_EVENTS, record_deliveries
from .services.webhooks.sending import hand_over_after_commit

EVENT_CLASSES = (
    TaskStatusChanged,
    ReviewRequested,
    ReviewAnswered,
    TimeLogged,
    VersionPublished,
    ScheduleFinished,
    NoteAdded,
    NoteEdited,
    TicketChanged,
    DailyClosed,
)


class ActivitySubscriber:
    """Records each event and tells the people concerned; e-mails go through ``outbox`` (None:
    none are written, see ``record_the_past``)."""

    def __init__(self, outbox: Outbox | None) -> None:
        self.outbox = outbox

    def __call__(self, event) -> None:
        dbsession = publishing_session()
        for activity in record_activity(dbsession, event):
            notify(dbsession, activity, event, self.outbox)


class WebhookSubscriber:
    """Writes a delivery for each hook told of the event; ``hand_over`` (the job queue) gets
    them after the commit. The payload's ``path`` is the event's page, from the route table."""

    def __init__(self, hand_over) -> None:
        self.hand_over = hand_over
        self.links = MailLinks("")

    def __call__(self, event) -> None:
        dbsession = publishing_session()
        delivery_ids = record_deliveries(dbsession, event, self.links.target)
        hand_over_after_commit(dbsession, delivery_ids, self.hand_over)


def past_recorder() -> ActivitySubscriber:
    """A subscriber that records events and tells people in their inbox only, for the demo
    studio's loading: what it plays happened in the past weeks, nobody is mailed about it."""
    return ActivitySubscriber(outbox=None)


def includeme(config) -> None:
    """Subscribe to every domain event; a bad ``mail.*`` setting stops the start here."""
    registry = config.registry
    settings = MailSettings.from_settings(config.get_settings())

    def hand_over(mail_id: int) -> None:
        job_queue(registry).enqueue_mail(mail_id)

    subscriber = ActivitySubscriber(Outbox(settings, MailLinks(settings.base_url), hand_over))
    for event_class in EVENT_CLASSES:
        config.add_subscriber(subscriber, event_class)

    def hand_over_delivery(delivery_id: int) -> None:
        job_queue(registry).enqueue_webhook(delivery_id)

    webhooks = WebhookSubscriber(hand_over_delivery)
    for event_class in WEBHOOK_EVENTS:
        config.add_subscriber(webhooks, event_class)
