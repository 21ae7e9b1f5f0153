"""An artist's part of the home page: what the last schedule run planned for them today and for
the next seven days, and the tasks sent back to them with the reviewers' notes."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ...models import Review, Status, Task, User
from ...models.task import task_computed_resources, task_resources
from ...time_zones import day_bounds, local_day
from ..scheduling.lateness import Standing, standings
from ..tasks.paths import task_paths
from ..versions.thumbnails import latest_thumbnails
from ..workflow import rules
from ..workflow.pages import works_on
from ..workflow.reviews import revisions_asked

# The days after today the page looks ahead, and at most how many of their tasks it lists (My
# tasks lists them all).
DAYS_AHEAD = 7
WEEK_SHOWN = 30
REVISIONS_SHOWN = 10


@dataclass(frozen=True)
class WorkItem:
    """A task as the home page lists it: its full path, picture and standing."""

    task: Task
    path: str
    thumbnail_file_id: int | None
    standing: Standing
    # The reviewers' notes (revisions asked of the last round), for a task sent back.
    notes: list[Review] = field(default_factory=list)


@dataclass(frozen=True)
class MyWork:
    """Today's tasks, the next seven days', and the tasks sent back for a revision."""

    day_start: datetime
    week_end: datetime
    today: list[WorkItem]
    coming_days: list[WorkItem]
    # Whether more of the week's tasks exist than listed.
    more_this_week: bool
    # Open tasks of theirs that no schedule run has placed yet.
    unscheduled: int
    revisions: list[WorkItem]


def _open():
    finished = select(Status.id).where(Status.code.in_(rules.FINISHED))
    return Task.status_id.not_in(finished)


def _week_tasks(dbsession: Session, user: User, start: datetime, end: datetime) -> list[Task]:
    """The open tasks the last run planned for ``user`` between ``start`` and ``end``."""
    scheduled_for = select(task_computed_resources.c.task_id).where(
        task_computed_resources.c.user_id == user.id
    )
    return list(
        dbsession.scalars(
            select(Task)
            .where(
                Task.id.in_(scheduled_for),
                _open(),
                Task.computed_start < end,
                Task.computed_end > start,
            )
            .options(joinedload(Task.status))
            .order_by(Task.computed_start, Task.id)
            .limit(WEEK_SHOWN + 1)
        )
    )


def _unscheduled_count(dbsession: Session, user: User) -> int:
    assigned = select(task_resources.c.task_id).where(task_resources.c.user_id == user.id)
    return dbsession.scalar(
        select(func.count()).where(Task.id.in_(assigned), _open(), Task.computed_end.is_(None))
    )


def _sent_back(dbsession: Session, user: User) -> tuple[list[Task], dict[int, list[Review]]]:
    """The tasks of ``user`` with a revision asked (Has Revision), the latest first, and the
    revisions their last round asked for, with the reviewers (two queries)."""
    tasks = list(
        dbsession.scalars(
            select(Task)
            .join(Status, Status.id == Task.status_id)
            .where(works_on(user.id), Status.code == rules.HREV)
            .options(joinedload(Task.status))
            .order_by(Task.date_updated.desc(), Task.id)
            .limit(REVISIONS_SHOWN)
        )
    )
    return tasks, revisions_asked(dbsession, [task.id for task in tasks])


def my_work(dbsession: Session, user: User, now: datetime, zone_name: str | None = None) -> MyWork:
    """``user``'s work at ``now``: the tasks planned today and in the next seven days on the
    clocks of ``zone_name`` (None: UTC), and those sent back for a revision, each with its path,
    thumbnail and standing: ten queries whatever they hold."""
    today = local_day(now, zone_name)
    day_start, tomorrow = day_bounds(today, zone_name)
    week_end = day_bounds(today + timedelta(days=DAYS_AHEAD + 1), zone_name)[0]
    week = _week_tasks(dbsession, user, day_start, week_end)
    more = len(week) > WEEK_SHOWN
    week = week[:WEEK_SHOWN]
    sent_back, notes = _sent_back(dbsession, user)
    shown = {task.id: task for task in [*week, *sent_back]}.values()
    paths = task_paths(dbsession, shown)
    thumbnails = latest_thumbnails(dbsession, [task.id for task in shown])
    marks = standings(dbsession, shown, now)

    def item(task: Task) -> WorkItem:
        return WorkItem(
            task, paths[task.id], thumbnails.get(task.id), marks[task.id], notes.get(task.id, [])
        )

    return MyWork(
        day_start=day_start,
        week_end=week_end,
        today=[item(task) for task in week if task.computed_start < tomorrow],
        coming_days=[item(task) for task in week if task.computed_start >= tomorrow],
        more_this_week=more,
        unscheduled=_unscheduled_count(dbsession, user),
        revisions=[item(task) for task in sent_back],
    )
