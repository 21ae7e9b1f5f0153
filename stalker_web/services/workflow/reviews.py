"""Reviews: requesting one, answering it, and finalising a review set (reference, 4.3).

A request creates one Review per responsible user of the task (its own, else the nearest
ancestor's), all with the same ``review_number``: a review set. When nobody is left to answer,
the set is finalised: any revision -> HREV with the extra time added to the schedule; all
approved -> CMPL with the schedule clamped to the time logged. Then the tasks downstream are
re-evaluated. Unlike Stalker, a request on a task without any responsible user is refused
(Stalker leaves it stuck in PREV).
"""

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, selectinload

from ...events import ReviewAnswered, ReviewRequested, publish
from ...models import Review, ReviewStatus, Task, User, Version
from ...models.schedule import to_seconds
from ..errors import ValidationError, model_rules
from ..tasks.commands import responsible_users
from . import actions as workflow
from . import rules


def last_review_number(dbsession: Session, task: Task) -> int:
    """The highest review number of the task's reviews (0 before any)."""
    return int(
        dbsession.scalar(select(func.max(Review.review_number)).where(Review.task_id == task.id))
        or 0
    )


def review_set(dbsession: Session, task: Task, number: int) -> list[Review]:
    """The reviews of ``task`` sharing ``number``."""
    return list(
        dbsession.scalars(
            select(Review)
            .where(Review.task_id == task.id, Review.review_number == number)
            .order_by(Review.id)
        )
    )


def _lock(dbsession: Session, task: Task) -> None:
    """Serialise answers on one task (PostgreSQL: row lock; SQLite locks the whole file), so
    two last answers given at once cannot both miss finalising the set."""
    dbsession.flush()
    dbsession.execute(select(Task.id).where(Task.id == task.id).with_for_update())


def request_review(
    dbsession: Session, task: Task, user: User, version: Version | None = None
) -> list[Review]:
    """Ask the task's responsible users to review it (optionally one version): WIP -> PREV and
    one NEW review each."""
    workflow.refuse_containers(dbsession, task, "request reviews")
    workflow.refuse_unless(task, rules.REQUEST_REVIEW)
    if version is not None and version.task_id != task.id:
        raise ValidationError("Choose a version of this task to review.", "version")
    reviewers = responsible_users(dbsession, [task])[task.id]
    if not reviewers:
        raise ValidationError(
            f"Nobody is responsible for {task.name} or the tasks above it, so nobody could "
            "answer a review. Ask a producer to name a responsible user (a supervisor or lead) "
            "first."
        )
    _lock(dbsession, task)
    number = last_review_number(dbsession, task) + 1
    with model_rules():
        reviews = [
            Review(
                task=task,
                reviewer=reviewer,
                version=version,
                review_number=number,
                description=f"Requested by {user.name}.",
            )
            for reviewer in reviewers
        ]
    dbsession.add_all(reviews)
    workflow.set_status(dbsession, task, rules.PREV)
    workflow.settle(dbsession, [task])
    dbsession.flush()
    publish(
        dbsession,
        ReviewRequested(
            task.id,
            task.project_id,
            number,
            tuple(review.id for review in reviews),
            tuple(reviewer.id for reviewer in reviewers),
        ),
    )
    return reviews


def _check_open(review: Review) -> None:
    if review.status is not ReviewStatus.NEW:
        answer = "approved" if review.status is ReviewStatus.APPROVED else "sent back"
        raise ValidationError(f"This review was already answered ({answer}).")


def _publish_answer(dbsession: Session, review: Review) -> None:
    task = review.task
    publish(
        dbsession,
        ReviewAnswered(
            review.id, task.id, task.project_id, review.reviewer_id, review.status.value
        ),
    )


def approve(dbsession: Session, review: Review, description: str = "") -> Review:
    """Approve ``review``; the set is finalised when it was the last answer."""
    _lock(dbsession, review.task)
    dbsession.refresh(review)
    _check_open(review)
    review.status = ReviewStatus.APPROVED
    if (description or "").strip():
        review.description = description.strip()
    finalize_review_set(dbsession, review.task, review.review_number)
    _publish_answer(dbsession, review)
    return review


def request_revision(
    dbsession: Session, review: Review, schedule_timing, schedule_unit, description: str
) -> Review:
    """Send the work back with ``review``, asking for ``schedule_timing`` ``schedule_unit`` more
    and saying what to change; the set is finalised when it was the last answer."""
    description = (description or "").strip()
    if not description:
        raise ValidationError("Say what needs to change.", "description")
    _lock(dbsession, review.task)
    dbsession.refresh(review)
    _check_open(review)
    with model_rules():
        review.schedule_timing = schedule_timing
        review.schedule_unit = schedule_unit
    review.description = description
    review.status = ReviewStatus.REVISION_REQUESTED
    finalize_review_set(dbsession, review.task, review.review_number)
    _publish_answer(dbsession, review)
    return review


def task_request_revision(
    dbsession: Session,
    task: Task,
    reviewer: User,
    description: str,
    schedule_timing=1,
    schedule_unit="h",
) -> Review:
    """Send a PREV or CMPL task back to work (HREV) outright: the reviews still waiting are
    dropped and ``reviewer``'s revision finalises the set (Stalker's Task.request_revision)."""
    workflow.refuse_containers(dbsession, task, "request revisions")
    workflow.refuse_unless(task, rules.REQUEST_REVISION)
    description = (description or "").strip()
    if not description:
        raise ValidationError("Say what needs to change.", "description")
    _lock(dbsession, task)
    dbsession.execute(
        delete(Review)
        .where(Review.task_id == task.id, Review.status == ReviewStatus.NEW)
        .execution_options(synchronize_session="fetch")
    )
    last = last_review_number(dbsession, task)
    # While PREV the last set is the one pending; a completed task starts a new one.
    number = last if task.status.code == rules.PREV and last else last + 1
    with model_rules():
        review = Review(
            task=task,
            reviewer=reviewer,
            review_number=number,
            status=ReviewStatus.REVISION_REQUESTED,
            schedule_timing=schedule_timing,
            schedule_unit=schedule_unit,
            description=description,
        )
    dbsession.add(review)
    finalize_review_set(dbsession, task, number)
    _publish_answer(dbsession, review)
    return review


def finalize_review_set(dbsession: Session, task: Task, number: int) -> str | None:
    """Once every review of set ``number`` is answered: HREV with the schedule raised to the
    time logged plus the extra time asked (only when that is more), or CMPL with the schedule
    clamped to the time logged; then the parents and the tasks downstream follow. Returns the
    new status code, or None while answers are missing."""
    dbsession.flush()
    reviews = review_set(dbsession, task, number)
    outcome = rules.review_outcome(review.status.value for review in reviews)
    if outcome is None:
        return None
    progress, calendar = workflow.progress_of(dbsession, task)
    extra = sum(
        to_seconds(review.schedule_timing, review.schedule_unit, task.schedule_model, calendar)
        for review in reviews
        if review.status is ReviewStatus.REVISION_REQUESTED
    )
    total = progress.logged_seconds + extra
    if outcome == rules.CMPL or total > progress.scheduled_seconds:
        workflow.set_schedule_seconds(task, total, calendar)
    workflow.set_status(dbsession, task, outcome)
    workflow.settle(dbsession, [task], revised=task)
    return outcome


def task_reviews(dbsession: Session, task: Task) -> list[Review]:
    """The review history of ``task``, newest set first, with reviewers and versions."""
    return list(
        dbsession.scalars(
            select(Review)
            .where(Review.task_id == task.id)
            .options(selectinload(Review.reviewer), selectinload(Review.version))
            .order_by(Review.review_number.desc(), Review.id)
        )
    )
