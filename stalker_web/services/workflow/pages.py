"""What the workflow pages show: the actions a task allows now (and why not the others), its
time logs and review history, the artist's task list, and what a review answer would move.
Each function loads what it returns in a fixed number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, select, union
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from ...models import Review, ReviewStatus, Status, Task, TaskDependency, TimeLog, User
from ...models.task import task_computed_resources, task_resources
from ...pagination import Page, paginate
from ..scheduling.lateness import Standing, standings
from ..tasks.commands import responsible_users
from ..tasks.graph import has_children
from ..tasks.paths import task_paths
from ..tasks.progress import Progress, studio_calendar, task_progress
from ..versions.thumbnails import latest_thumbnails
from . import actions as workflow
from . import rules
from .review_notes import ReviewNotes, review_notes
from .reviews import revisions_asked, task_reviews
from .statuses import task_statuses

# The actions of the task page, in the order shown: (action, button label).
TASK_ACTIONS = (
    (rules.LOG_TIME, "Log time"),
    (rules.REQUEST_REVIEW, "Request a review"),
    (rules.REQUEST_REVISION, "Request a revision"),
    (rules.HOLD, "Put on hold"),
    (rules.STOP_ACTION, "Stop"),
    (rules.RESUME, "Resume"),
)
OPEN_CODES = tuple(code for code in rules.ALL_CODES if code not in rules.FINISHED)


@dataclass(frozen=True)
class ActionState:
    """One status action: whether the task's status allows it now, else why not."""

    action: str
    label: str
    reason: str | None = None

    @property
    def allowed(self) -> bool:
        return self.reason is None


def allowed_actions(task: Task, *, is_container: bool, has_responsible: bool) -> list[ActionState]:
    """Each action of the task page, allowed now or with the reason it is not (no query)."""
    states = []
    for action, label in TASK_ACTIONS:
        reason = None
        if is_container:
            reason = "A task with children has no work of its own; act on its children."
        elif not rules.allowed(action, task.status.code):
            reason = workflow.why_not(task.status, action)
        elif action == rules.REQUEST_REVIEW and not has_responsible:
            reason = (
                "Nobody is responsible for this task or the tasks above it; a producer must "
                "name a responsible user first."
            )
        states.append(ActionState(action, label, reason))
    return states


@dataclass
class TaskWorkflow:
    """The workflow sections of the task page."""

    task: Task
    actions: list[ActionState]
    time_logs: list[TimeLog]
    reviews: list[Review]
    progress: Progress
    responsible: list[User] = field(default_factory=list)
    # A task with children: its status follows theirs and no action is its own.
    is_container: bool = False
    # The notes its reviews were requested and answered with.
    review_notes: ReviewNotes = field(default_factory=ReviewNotes)

    def action(self, name: str) -> ActionState:
        return next(state for state in self.actions if state.action == name)


def task_workflow_details(
    dbsession: Session,
    task: Task,
    user: User | None = None,
    *,
    responsible: list[User] | None = None,
    is_container: bool | None = None,
) -> TaskWorkflow:
    """The task page's status actions, time logs (with resources), review history (with
    reviewers, versions and notes) and progress: a fixed number of queries whatever the task
    holds, fewer when the caller already knows its ``responsible`` users and whether it
    ``is_container``."""
    if is_container is None:
        is_container = has_children(dbsession, task)
    if responsible is None:
        responsible = responsible_users(dbsession, [task])[task.id]
    logs = list(
        dbsession.scalars(
            select(TimeLog)
            .where(TimeLog.task_id == task.id)
            .options(selectinload(TimeLog.resource))
            .order_by(TimeLog.start)
        )
    )
    calendar = studio_calendar(dbsession)
    progress = task_progress(dbsession, [task], calendar, datetime.now(UTC))[task.id]
    reviews = task_reviews(dbsession, task)
    return TaskWorkflow(
        task=task,
        actions=allowed_actions(task, is_container=is_container, has_responsible=bool(responsible)),
        time_logs=logs,
        reviews=reviews,
        progress=progress,
        responsible=responsible,
        is_container=is_container,
        review_notes=review_notes(dbsession, reviews),
    )


# My tasks


@dataclass
class MyTasks:
    """A page of the tasks a user works on, each with its progress, full path, standing and
    the file whose thumbnail stands for it (tasks without one are left out)."""

    page: Page
    progress: dict[int, Progress]
    paths: dict[int, str]
    standings: dict[int, Standing]
    thumbnails: dict[int, int]
    # The studio's working hours a day (how remaining time is worded), read with the progress.
    daily_working_hours: int = 8
    # The latest revision each task's last round asked for (absent: none), and its notes.
    revisions: dict[int, Review] = field(default_factory=dict)
    review_notes: ReviewNotes = field(default_factory=ReviewNotes)


def works_on(user_id: int) -> ColumnElement[bool]:
    """SQL: the task has the user among its resources or among its computed resources. One IN
    over the union of both lists: PostgreSQL then reads the user's few tasks by id, where two
    ORed INs made it scan every task of the studio."""
    return Task.id.in_(
        union(
            select(task_resources.c.task_id).where(task_resources.c.user_id == user_id),
            select(task_computed_resources.c.task_id).where(
                task_computed_resources.c.user_id == user_id
            ),
        )
    )


def my_tasks_page(
    dbsession: Session, user: User, number: int, *, everything: bool = False, per_page: int = 50
) -> MyTasks:
    """The leaf tasks ``user`` works on (as a resource or a computed resource), open ones
    only unless ``everything``, by priority then planned end; with their progress, paths,
    late or at-risk marks, thumbnails and the latest revision asked of each with its note, in
    a fixed number of queries."""
    statement = (
        select(Task)
        .join(Status, Status.id == Task.status_id)
        .where(works_on(user.id))
        .options(joinedload(Task.project), joinedload(Task.status))
        .order_by(Task.priority.desc(), Task.end.is_(None), Task.end, Task.id)
    )
    if not everything:
        statement = statement.where(Status.code.in_(OPEN_CODES))
    page = paginate(dbsession, statement, number, per_page, {"show": "all" if everything else None})
    calendar = studio_calendar(dbsession)
    now = datetime.now(UTC)
    task_ids = [task.id for task in page.items]
    latest = {
        task_id: asked[-1]
        for task_id, asked in revisions_asked(dbsession, task_ids).items()
        if asked
    }
    return MyTasks(
        page=page,
        progress=task_progress(dbsession, page.items, calendar, now),
        paths=task_paths(dbsession, page.items),
        standings=standings(dbsession, page.items, now),
        thumbnails=latest_thumbnails(dbsession, task_ids),
        daily_working_hours=calendar.daily_working_hours,
        revisions=latest,
        review_notes=review_notes(dbsession, latest.values()),
    )


def tasks_to_log_on(dbsession: Session, user: User, limit: int = 200) -> list[tuple[Task, str]]:
    """The tasks ``user`` works on whose status lets time be logged, in My tasks' order (at most
    ``limit``), each with its full path: the choices of the timesheet's form, in three queries
    (none of My tasks' progress, marks or pictures)."""
    loggable = [code for code in rules.ALL_CODES if rules.allowed(rules.LOG_TIME, code)]
    tasks = list(
        dbsession.scalars(
            select(Task)
            .join(Status, Status.id == Task.status_id)
            .where(works_on(user.id), Status.code.in_(loggable))
            .options(joinedload(Task.status))
            .order_by(Task.priority.desc(), Task.end.is_(None), Task.end, Task.id)
            .limit(limit)
        )
    )
    paths = task_paths(dbsession, tasks)
    return [(task, paths[task.id]) for task in tasks]


# Review inbox


@dataclass(frozen=True)
class DependentMove:
    """A task waiting for a reviewed task, its status now and after each answer."""

    task: Task
    now: Status
    if_approved: Status
    if_revised: Status

    @property
    def moves(self) -> bool:
        return self.now != self.if_approved or self.now != self.if_revised


def review_inbox(
    dbsession: Session, user: User, number: int, per_page: int = 20
) -> tuple[Page, dict[int, list[DependentMove]]]:
    """``user``'s reviews waiting for an answer (with task, project and version) and, per
    reviewed task, the tasks waiting for it that an approval or a revision would move."""
    statement = (
        select(Review)
        .where(Review.reviewer_id == user.id, Review.status == ReviewStatus.NEW)
        .options(
            joinedload(Review.task).joinedload(Task.project),
            joinedload(Review.task).joinedload(Task.status),
            selectinload(Review.version),
        )
        .order_by(Review.date_created, Review.id)
    )
    page = paginate(dbsession, statement, number, per_page)
    return page, dependent_moves(dbsession, [review.task for review in page.items])


def dependent_moves(dbsession: Session, tasks: Iterable[Task]) -> dict[int, list[DependentMove]]:
    """For each of ``tasks``: its direct dependents and their status now, if it is approved
    (CMPL) and if it is sent back (HREV), by table 4.2. Two queries for all (and the Task
    status list, once per session)."""
    ids = [task.id for task in tasks]
    moves: dict[int, list[DependentMove]] = {task_id: [] for task_id in ids}
    if not ids:
        return moves
    downstream = aliased(Task)
    pairs = dbsession.execute(
        select(TaskDependency.depends_on_id, downstream)
        .join(downstream, downstream.id == TaskDependency.task_id)
        .where(TaskDependency.depends_on_id.in_(ids))
        .options(joinedload(downstream.status))
        .order_by(downstream.name, downstream.id)
    ).all()
    dependent_ids = {task.id for _, task in pairs}
    upstream = aliased(Task)
    others: dict[int, list[tuple[int, str]]] = {task_id: [] for task_id in dependent_ids}
    logged = workflow.logged_task_ids(dbsession, dependent_ids)
    if dependent_ids:
        for task_id, upstream_id, code in dbsession.execute(
            select(TaskDependency.task_id, upstream.id, Status.code)
            .join(upstream, upstream.id == TaskDependency.depends_on_id)
            .join(Status, Status.id == upstream.status_id)
            .where(TaskDependency.task_id.in_(dependent_ids))
        ):
            others[task_id].append((upstream_id, code))
    statuses = task_statuses(dbsession)
    for reviewed_id, dependent in pairs:
        current = dependent.status.code

        def after(code: str, dependent=dependent, reviewed_id=reviewed_id, current=current):
            codes = [code if up == reviewed_id else c for up, c in others[dependent.id]]
            return statuses[rules.reevaluate(current, codes, dependent.id in logged).code]

        moves[reviewed_id].append(
            DependentMove(dependent, dependent.status, after(rules.CMPL), after(rules.HREV))
        )
    return moves
