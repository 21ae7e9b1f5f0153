"""The app's subscribers to the domain events: every event becomes its activity record and the
notifications (with their e-mails) it calls for, written in the session that published it, so
they commit or roll back with the change; the mails reach the job queue after the commit.

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
