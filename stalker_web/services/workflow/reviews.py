"""Reviews: requesting one, answering it, and finalising a review set (reference, 4.3).

A request creates one Review per responsible user of the task (its own, else the nearest
ancestor's), all with the same ``review_number``: a review set, or round. As in Stalker the task
counts its finalised rounds (``Task.review_number``), so the open round is always that count + 1,
never re-read from the reviews left. While some reviewer of the round has not answered, the
others may change their answers; when nobody is left to answer, the set is finalised and the
answers are final: any revision -> HREV with the extra time added to the schedule; all approved
-> CMPL with the schedule clamped to the time logged. Then the tasks downstream are
re-evaluated. Unlike Stalker, a request on a task without any responsible user is refused
(Stalker leaves it stuck in PREV).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ...events import ReviewAnswered, ReviewRequested, publish
from ...models import Review, ReviewStatus, Task, User, Version
from ...models.schedule import to_seconds
from ..errors import ValidationError, model_rules
from ..notes.attachments import Upload
from ..notes.notes import add_note
from ..tasks.commands import responsible_users
from ..versions.versions import latest_version
from . import actions as workflow
from . import rules


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
    dbsession.refresh(task, ["review_number"])  # the round count as the lock found it


def request_review(
    dbsession: Session,
    task: Task,
    user: User,
    version: Version | None = None,
    note: str = "",
    attachments: Sequence[Upload] = (),
) -> list[Review]:
    """Ask the task's responsible users to review ``version`` (by default the task's latest;
    none only while it has no version): WIP -> PREV and one NEW review each. A ``note`` (what
    to look at) or ``attachments`` become a note on the task that every review of the round
    names (``Review.request_note_id``)."""
    workflow.refuse_containers(dbsession, task, "request reviews")
    workflow.refuse_unless(task, rules.REQUEST_REVIEW)
    if version is not None and version.task_id != task.id:
        raise ValidationError("Choose a version of this task to review.", "version")
    version = version or latest_version(dbsession, task)
    reviewers = responsible_users(dbsession, [task])[task.id]
    if not reviewers:
        raise ValidationError(
            f"Nobody is responsible for {task.name} or the tasks above it, so nobody could "
            "answer a review. Ask a producer to name a responsible user (a supervisor or lead) "
            "first."
        )
    _lock(dbsession, task)
    number = task.review_number + 1
    request_note = None
    if (note or "").strip() or attachments:
        request_note = add_note(
            dbsession, user, task.project, note or "", task=task, attachments=attachments
        )
    with model_rules():
        reviews = [
            Review(
                task=task,
                reviewer=reviewer,
                version=version,
                review_number=number,
                description=f"Requested by {user.name}.",
                request_note_id=request_note.id if request_note else None,
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


def is_open(review: Review) -> bool:
    """Whether the review's round still waits for an answer (not finalised yet)."""
    return review.review_number > review.task.review_number


def _check_open(review: Review) -> None:
    """Refuse answering a review of a finalised round: its answers are final."""
    if not is_open(review):
        answer = "approved" if review.status is ReviewStatus.APPROVED else "sent back"
        raise ValidationError(
            f"This review was already answered ({answer}). Round {review.review_number} is "
            "closed (every reviewer has answered), so its answers are final; to send the task "
            "back now, request a revision on the task."
        )


def _publish_answer(dbsession: Session, review: Review) -> None:
    task = review.task
    publish(
        dbsession,
        ReviewAnswered(
            review.id, task.id, task.project_id, review.reviewer_id, review.status.value
        ),
    )


def _answer_note(
    dbsession: Session,
    review: Review,
    author: User | None,
    content: str,
    attachments: Sequence[Upload],
) -> None:
    """What ``author`` said with their answer, kept as a note on ``review`` (none without an
    author, or with neither words nor files)."""
    if author is not None and ((content or "").strip() or attachments):
        add_note(
            dbsession,
            author,
            review.task.project,
            content or "",
            review=review,
            attachments=attachments,
        )


def approve(
    dbsession: Session,
    review: Review,
    description: str = "",
    *,
    author: User | None = None,
    attachments: Sequence[Upload] = (),
) -> Review:
    """Approve ``review`` (also instead of a revision asked earlier in the same open round);
    the set is finalised when it was the last answer. What ``author`` (the person answering)
    said and attached becomes a note on the review."""
    _lock(dbsession, review.task)
    dbsession.refresh(review)
    _check_open(review)
    if review.status is ReviewStatus.REVISION_REQUESTED:
        review.schedule_timing = 0.0
        review.description = ""
    review.status = ReviewStatus.APPROVED
    if (description or "").strip():
        review.description = description.strip()
    _answer_note(dbsession, review, author, description, attachments)
    finalize_review_set(dbsession, review.task, review.review_number)
    _publish_answer(dbsession, review)
    return review


def request_revision(
    dbsession: Session,
    review: Review,
    schedule_timing,
    schedule_unit,
    description: str,
    *,
    author: User | None = None,
    attachments: Sequence[Upload] = (),
) -> Review:
    """Send the work back with ``review``, asking for ``schedule_timing`` ``schedule_unit`` more
    and saying what to change (also instead of an approval given earlier in the same open
    round); the set is finalised when it was the last answer. What ``author`` (the person
    answering) said and attached becomes a note on the review."""
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
    _answer_note(dbsession, review, author, description, attachments)
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
    # While PREV this joins the open round; a completed task starts a new one.
    number = task.review_number + 1
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
    task.review_number = number
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


@dataclass(frozen=True)
class ChangeableAnswer:
    """A reviewer's answer in a round still open, and who has not answered that round yet."""

    review: Review
    waiting_for: tuple[str, ...]


def changeable_answers(dbsession: Session, reviewer: User) -> list[ChangeableAnswer]:
    """``reviewer``'s answers in rounds still open (another reviewer has not answered yet),
    oldest first, with task, project, status, version and the names still waiting (two
    queries)."""
    answers = list(
        dbsession.scalars(
            select(Review)
            .join(Review.task)
            .where(
                Review.reviewer_id == reviewer.id,
                Review.status != ReviewStatus.NEW,
                Review.review_number > Task.review_number,
            )
            .options(
                joinedload(Review.task).joinedload(Task.project),
                joinedload(Review.task).joinedload(Task.status),
                selectinload(Review.version),
            )
            .order_by(Review.date_created, Review.id)
        )
    )
    waiting: dict[tuple[int, int], list[str]] = {}
    if answers:
        rows = dbsession.execute(
            select(Review.task_id, Review.review_number, User.name)
            .join(User, User.id == Review.reviewer_id)
            .where(
                Review.task_id.in_({review.task_id for review in answers}),
                Review.status == ReviewStatus.NEW,
            )
            .order_by(User.name)
        )
        for task_id, number, name in rows:
            waiting.setdefault((task_id, number), []).append(name)
    return [
        ChangeableAnswer(review, tuple(waiting.get((review.task_id, review.review_number), ())))
        for review in answers
    ]


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


def open_review(dbsession: Session, task: Task, reviewer: User) -> Review | None:
    """``reviewer``'s review of ``task`` in its open round (waiting, or answered while others
    have not answered yet), or None."""
    return dbsession.scalar(
        select(Review)
        .where(
            Review.task_id == task.id,
            Review.reviewer_id == reviewer.id,
            Review.review_number > task.review_number,
        )
        .order_by(Review.id.desc())
        .limit(1)
    )


def waiting_reviewers(dbsession: Session, task: Task) -> list[User]:
    """The reviewers whose review of ``task`` still waits for an answer, by name."""
    return list(
        dbsession.scalars(
            select(User)
            .join(Review, Review.reviewer_id == User.id)
            .where(Review.task_id == task.id, Review.status == ReviewStatus.NEW)
            .order_by(User.name, User.id)
        )
    )


def revisions_asked(dbsession: Session, task_ids: Iterable[int]) -> dict[int, list[Review]]:
    """For each of ``task_ids``, the revisions its last finalised round asked for (empty when
    that round approved it, or none was finalised), with their reviewers: one query. What a
    task sent back shows its artist (home page, My tasks)."""
    asked: dict[int, list[Review]] = {task_id: [] for task_id in task_ids}
    if not asked:
        return asked
    for review in dbsession.scalars(
        select(Review)
        .join(Task, Task.id == Review.task_id)
        .where(
            Review.task_id.in_(asked),
            Review.review_number == Task.review_number,
            Review.status == ReviewStatus.REVISION_REQUESTED,
        )
        .options(joinedload(Review.reviewer))
        .order_by(Review.id)
    ):
        asked[review.task_id].append(review)
    return asked
