"""The reviews waiting for the person looking at the home page: how many, and the oldest few
with their tasks' paths and pictures."""

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from ...models import Review, ReviewStatus, Task, User
from ..tasks.paths import task_paths
from ..versions.thumbnails import latest_thumbnails

REVIEWS_SHOWN = 5


@dataclass(frozen=True)
class WaitingReview:
    """A review waiting for an answer, with its task's path and picture."""

    review: Review
    path: str
    thumbnail_file_id: int | None


@dataclass(frozen=True)
class ReviewsForMe:
    """How many reviews wait for the person, and the oldest ``REVIEWS_SHOWN``."""

    count: int
    oldest: list[WaitingReview]


def waiting_count(user: User) -> Select:
    """SQL: how many reviews wait for ``user``'s answer (the home page reads it with whether
    they have work, in one query)."""
    return select(func.count()).where(
        Review.reviewer_id == user.id, Review.status == ReviewStatus.NEW
    )


def reviews_for(dbsession: Session, user: User, count: int) -> ReviewsForMe:
    """The oldest reviews waiting for ``user`` (``count`` of them wait in all), with their tasks,
    paths and thumbnails: four queries, none when nothing waits."""
    if not count:
        return ReviewsForMe(0, [])
    reviews = list(
        dbsession.scalars(
            select(Review)
            .where(Review.reviewer_id == user.id, Review.status == ReviewStatus.NEW)
            .options(joinedload(Review.task).joinedload(Task.status))
            .order_by(Review.date_created, Review.id)
            .limit(REVIEWS_SHOWN)
        )
    )
    tasks = {review.task_id: review.task for review in reviews}
    paths = task_paths(dbsession, tasks.values())
    thumbnails = latest_thumbnails(dbsession, tasks)
    return ReviewsForMe(
        count,
        [
            WaitingReview(review, paths[review.task_id], thumbnails.get(review.task_id))
            for review in reviews
        ],
    )
