"""The kinds of activity records (one per domain event) and the groups the feed filters by."""

from dataclasses import dataclass
from enum import StrEnum


class ActivityKind(StrEnum):
    """What an activity record tells: ``Activity.kind``."""

    STATUS_CHANGED = "status_changed"
    REVIEW_REQUESTED = "review_requested"
    REVIEW_ANSWERED = "review_answered"
    TIME_LOGGED = "time_logged"
    VERSION_PUBLISHED = "version_published"
    SCHEDULE_FINISHED = "schedule_finished"
    SCENARIO_SCHEDULED = "scenario_scheduled"
    NOTE_ADDED = "note_added"
    NOTE_EDITED = "note_edited"
    TICKET_CHANGED = "ticket_changed"
    DAILY_CLOSED = "daily_closed"


@dataclass(frozen=True)
class FeedKind:
    """A choice of the feed's "What" filter: its query value, its words and the record kinds."""

    value: str
    label: str
    kinds: tuple[ActivityKind, ...]


FEED_KINDS = (
    FeedKind("statuses", "Status changes", (ActivityKind.STATUS_CHANGED,)),
    FeedKind("reviews", "Reviews", (ActivityKind.REVIEW_REQUESTED, ActivityKind.REVIEW_ANSWERED)),
    FeedKind("versions", "Published versions", (ActivityKind.VERSION_PUBLISHED,)),
    FeedKind("notes", "Notes", (ActivityKind.NOTE_ADDED, ActivityKind.NOTE_EDITED)),
    FeedKind("tickets", "Tickets", (ActivityKind.TICKET_CHANGED,)),
    FeedKind("dailies", "Dailies", (ActivityKind.DAILY_CLOSED,)),
    FeedKind("schedule", "Schedule runs", (ActivityKind.SCHEDULE_FINISHED,)),
)
FEED_KINDS_BY_VALUE = {kind.value: kind for kind in FEED_KINDS}
# Every kind a project's feed shows. Time logs are left to the task's history (a studio's feed
# would be mostly time logs), and scenario runs to a studio-wide view: they change no project.
FEED_SHOWS = tuple(kind for choice in FEED_KINDS for kind in choice.kinds)
