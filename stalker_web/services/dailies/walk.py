"""One version of a daily, as the walk through it shows it: its files, its task and artist, the
task's previous version beside it, the reviews the task waits for, and where it stands in the
daily. A fixed number of queries, however many versions the daily holds."""

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, joinedload

from ...models import Daily, DailyVersion, Review, Task, User, Version
from ..notes.notes import NoteView
from ..tasks.paths import task_path
from ..versions.media import Media, version_media
from ..workflow.review_notes import review_notes
from ..workflow.reviews import open_review, waiting_reviewers
from .entries import entry_count


@dataclass(frozen=True)
class WalkPage:
    """A daily's version at place ``entry.rank`` of ``count``, with the previous version of its
    task (by version number, None for a first version), the user's review of the task in its
    open round (None: nobody asked them), who has not answered that round yet and what its
    request asked to look at."""

    daily: Daily
    entry: DailyVersion
    count: int
    version: Version
    path: str
    media: list[Media]
    previous: Version | None
    previous_media: list[Media]
    review: Review | None
    waiting_for: list[User]
    # The note the review of the open round was requested with (what to look at).
    asked: NoteView | None

    @property
    def task(self) -> Task:
        return self.version.task

    @property
    def previous_rank(self) -> int | None:
        return self.entry.rank - 1 if self.entry.rank > 1 else None

    @property
    def next_rank(self) -> int | None:
        return self.entry.rank + 1 if self.entry.rank < self.count else None


def previous_version(dbsession: Session, version: Version) -> Version | None:
    """The version of the same task just before ``version`` (revision, then version number)."""
    return dbsession.scalar(
        select(Version)
        .where(
            Version.task_id == version.task_id,
            or_(
                Version.revision_number < version.revision_number,
                and_(
                    Version.revision_number == version.revision_number,
                    Version.version_number < version.version_number,
                ),
            ),
        )
        .options(joinedload(Version.created_by))
        .order_by(Version.revision_number.desc(), Version.version_number.desc())
        .limit(1)
    )


def walk_page(dbsession: Session, entry: DailyVersion, user: User) -> WalkPage:
    """What the walk shows of ``entry`` to ``user``."""
    version = dbsession.scalars(
        select(Version)
        .where(Version.id == entry.daily_version_id)
        .options(
            joinedload(Version.task).joinedload(Task.status),
            joinedload(Version.task).selectinload(Task.resources),
            joinedload(Version.created_by),
        )
    ).one()
    previous = previous_version(dbsession, version)
    media = version_media(dbsession, [version.id, *([previous.id] if previous else [])])
    review = open_review(dbsession, version.task, user)
    waiting_for = waiting_reviewers(dbsession, version.task)
    in_round = review or dbsession.scalar(
        select(Review)
        .where(Review.task_id == version.task_id, Review.review_number > version.task.review_number)
        .limit(1)
    )
    asked = review_notes(dbsession, [in_round]).request_of(in_round) if in_round else None
    return WalkPage(
        daily=entry.daily,
        entry=entry,
        count=entry_count(dbsession, entry.daily),
        version=version,
        path=task_path(dbsession, version.task),
        media=media[version.id],
        previous=previous,
        previous_media=media[previous.id] if previous else [],
        review=review,
        waiting_for=waiting_for,
        asked=asked,
    )
