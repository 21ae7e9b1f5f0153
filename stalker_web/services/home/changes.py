"""What changed for an artist in the last seven days, those since their previous sign-in marked
new, read from what the data model records: reviews answered on their tasks, tasks of theirs
made ready by the work they waited for, their tasks changed by someone else, and time others
logged on them. There is no activity feed yet; this is not one."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, joinedload

from ...models import AuthenticationLog, Review, ReviewStatus, Status, Task, TaskDependency, User
from ...models.authentication_log import LOGIN
from ...models.time_log import TimeLog
from ..accounts.readable_projects import ReadableProjects
from ..tasks.paths import task_paths
from ..workflow import rules
from ..workflow.pages import works_on
from ..workload.grid import hours_text

LOOK_BACK = timedelta(days=7)
CHANGES_SHOWN = 15
# A task updated this soon after it was created was only being created.
SAME_MOMENT = timedelta(seconds=5)


@dataclass(frozen=True)
class Change:
    """One thing that happened to a task of theirs: when, which task, and what in words."""

    when: datetime
    task: Task
    path: str
    # "approved", "revision", "ready", "changed" or "logged" (the page's mark).
    kind: str
    words: str
    # Whether it happened after the previous sign-in (or there was none).
    is_new: bool = True


@dataclass(frozen=True)
class Changes:
    """The changes since ``since`` (seven days ago), newest first, and the previous sign-in
    that tells the new ones."""

    since: datetime
    previous_sign_in: datetime | None
    items: list[Change]

    @property
    def new_count(self) -> int:
        return sum(1 for change in self.items if change.is_new)


def previous_sign_in(dbsession: Session, user: User) -> datetime | None:
    """When ``user`` signed in before the sign-in of this visit (None for a first one)."""
    return dbsession.scalar(
        select(AuthenticationLog.date)
        .where(AuthenticationLog.user_id == user.id, AuthenticationLog.action == LOGIN)
        .order_by(AuthenticationLog.date.desc(), AuthenticationLog.id.desc())
        .offset(1)
        .limit(1)
    )


def _answered(dbsession: Session, user: User, since: datetime) -> list[tuple[datetime, Task, str]]:
    reviews = dbsession.scalars(
        select(Review)
        .join(Task, Task.id == Review.task_id)
        .where(
            works_on(user.id),
            Review.status != ReviewStatus.NEW,
            Review.date_updated >= since,
            Review.reviewer_id != user.id,
        )
        .options(joinedload(Review.reviewer), joinedload(Review.task).joinedload(Task.status))
        .order_by(Review.date_updated.desc(), Review.id.desc())
        .limit(CHANGES_SHOWN)
    )
    answers = []
    for review in reviews:
        if review.status is ReviewStatus.APPROVED:
            answers.append(
                (
                    review.date_updated,
                    review.task,
                    "approved",
                    f"{review.reviewer.name} approved it.",
                )
            )
        else:
            note = f"{review.reviewer.name} asked for a revision: “{review.description}”"
            answers.append((review.date_updated, review.task, "revision", note))
    return answers


def _made_ready(dbsession: Session, user: User, since: datetime, readable: ReadableProjects):
    upstream = aliased(Task)
    ready = select(Status.id).where(Status.code == rules.RTS).scalar_subquery()
    done = select(Status.id).where(Status.code == rules.CMPL).scalar_subquery()
    rows = dbsession.execute(
        select(Task, upstream)
        .join(TaskDependency, TaskDependency.task_id == Task.id)
        .join(upstream, upstream.id == TaskDependency.depends_on_id)
        .where(
            works_on(user.id),
            Task.status_id == ready,
            upstream.status_id == done,
            upstream.date_updated >= since,
        )
        .options(joinedload(Task.status))
        .order_by(upstream.date_updated.desc(), Task.id)
        .limit(CHANGES_SHOWN)
    )
    return [
        (
            done_task.date_updated,
            task,
            "ready",
            f"{readable.task_name(done_task)} is done, so it is Ready To Start.",
        )
        for task, done_task in rows
    ]


def _changed_by_others(dbsession: Session, user: User, since: datetime):
    tasks = dbsession.scalars(
        select(Task)
        .where(
            works_on(user.id),
            Task.date_updated >= since,
            Task.updated_by_id.is_not(None),
            Task.updated_by_id != user.id,
        )
        .options(joinedload(Task.status), joinedload(Task.updated_by))
        .order_by(Task.date_updated.desc(), Task.id)
        .limit(CHANGES_SHOWN)
    )
    return [
        (task.date_updated, task, "changed", f"{task.updated_by.name} {_what_was_done(task)}")
        for task in tasks
    ]


def _what_was_done(task: Task) -> str:
    """ "created it; it is Ready To Start." or "changed it; it is On Hold now." """
    if (
        task.date_updated - task.date_created < SAME_MOMENT
        and task.updated_by_id == task.created_by_id
    ):
        return f"created it; it is {task.status.name}."
    return f"changed it; it is {task.status.name} now."


def _logged_by_others(dbsession: Session, user: User, since: datetime):
    logs = dbsession.scalars(
        select(TimeLog)
        .join(Task, Task.id == TimeLog.task_id)
        .where(works_on(user.id), TimeLog.date_created >= since, TimeLog.resource_id != user.id)
        .options(joinedload(TimeLog.resource), joinedload(TimeLog.task).joinedload(Task.status))
        .order_by(TimeLog.date_created.desc(), TimeLog.id.desc())
        .limit(CHANGES_SHOWN)
    )
    return [
        (
            log.date_created,
            log.task,
            "logged",
            f"{log.resource.name} logged {hours_text((log.end - log.start).total_seconds())} h "
            "on it.",
        )
        for log in logs
    ]


def changes_for(
    dbsession: Session, user: User, now: datetime, readable: ReadableProjects
) -> Changes:
    """What changed on ``user``'s tasks in the seven days before ``now``, newest first, those
    after their previous sign-in marked new; a task changed by a review or by the work it waited
    for is not also listed as changed. Seven queries whatever they hold."""
    since = now - LOOK_BACK
    signed_in = previous_sign_in(dbsession, user)
    explained = _answered(dbsession, user, since) + _made_ready(dbsession, user, since, readable)
    explained_ids = {task.id for _, task, _, _ in explained}
    found = explained + [
        change
        for change in _changed_by_others(dbsession, user, since)
        if change[1].id not in explained_ids
    ]
    found += _logged_by_others(dbsession, user, since)
    found.sort(key=lambda change: change[0], reverse=True)
    found = found[:CHANGES_SHOWN]
    paths = task_paths(dbsession, {task.id: task for _, task, _, _ in found}.values())
    items = [
        Change(when, task, paths[task.id], kind, words, signed_in is None or when > signed_in)
        for when, task, kind, words in found
    ]
    return Changes(since, signed_in, items)
