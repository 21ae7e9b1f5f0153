"""The health section of a project's overview, assembled: lateness, progress per step, the
burn-up chart, upcoming milestones, the last schedule run, reviews waiting and the most loaded
people, in a fixed number of queries whatever the project's size."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Integer, func, literal_column, select
from sqlalchemy.orm import Session, aliased, joinedload

from ...models import Project, Review, ScheduleRun, Status, Task
from ...models.review import ReviewStatus
from ..scheduling.history import status_label
from ..scheduling.lateness import Standing, standings
from ..tasks.paths import task_paths
from ..tasks.progress import StudioCalendar, format_work_time
from ..workflow.rules import FINISHED
from .burnup import BurnUp, burn_up
from .lateness_lists import LatenessSummary, lateness_summary
from .people_load import PersonLoad, most_loaded
from .step_progress import StepsProgress, step_progress

UPCOMING_MILESTONES = 5

# For a project ``p``, the live plan's last run since the project exists whose scope held it
# (None or a JSON null: every project).
_LAST_RUN_SQL = {
    "sqlite": (
        "(SELECT r.id FROM schedule_runs AS r WHERE r.scenario_id IS NULL "
        "AND r.date_created >= p.date_created "
        "AND (r.project_ids IS NULL OR json_type(r.project_ids) = 'null' "
        "OR EXISTS (SELECT 1 FROM json_each(r.project_ids) WHERE value = p.id)) "
        "ORDER BY r.id DESC LIMIT 1)"
    ),
    "postgresql": (
        "(SELECT r.id FROM schedule_runs AS r WHERE r.scenario_id IS NULL "
        "AND r.date_created >= p.date_created "
        "AND (r.project_ids IS NULL OR json_typeof(r.project_ids) = 'null' "
        "OR r.project_ids::jsonb @> jsonb_build_array(p.id)) "
        "ORDER BY r.id DESC LIMIT 1)"
    ),
}


@dataclass(frozen=True)
class Milestone:
    """An upcoming milestone: the task, its path, its planned and computed dates, its standing."""

    task: Task
    path: str
    planned: datetime | None
    computed: datetime | None
    standing: Standing


@dataclass(frozen=True)
class LastRun:
    """The last schedule run that covered the project, and its result in words."""

    run: ScheduleRun
    result: str


@dataclass(frozen=True)
class ReviewsWaiting:
    """How many reviews of the project's tasks wait for an answer, and since when."""

    count: int
    oldest: datetime | None


@dataclass(frozen=True)
class ProjectHealth:
    """The health section; ``scheduled`` is False until a run computed the project's dates."""

    scheduled: bool
    lateness: LatenessSummary
    steps: StepsProgress
    burn_up: BurnUp
    milestones: list[Milestone]
    last_run: LastRun | None
    reviews: ReviewsWaiting
    # None when the reader may not see people's load.
    loads: list[PersonLoad] | None
    daily_working_hours: int

    def work_time(self, seconds: float) -> str:
        """``seconds`` in hours or working days, as the overview shows times."""
        return format_work_time(seconds, self.daily_working_hours)


def _milestones(dbsession: Session, project: Project, now: datetime) -> list[Milestone]:
    finished = select(Status.id).where(Status.code.in_(FINISHED))
    date = func.coalesce(Task.computed_end, Task.end, Task.computed_start, Task.start)
    tasks = list(
        dbsession.scalars(
            select(Task)
            .where(
                Task.project_id == project.id,
                Task.is_milestone.is_(True),
                Task.status_id.not_in(finished),
                date.is_not(None),
            )
            .options(joinedload(Task.status))
            .order_by(date, Task.id)
            .limit(UPCOMING_MILESTONES)
        )
    )
    if not tasks:
        return []
    marks = standings(dbsession, tasks, now)
    paths = task_paths(dbsession, tasks)
    return [
        Milestone(
            task,
            paths[task.id],
            task.end or task.start,
            task.computed_end or task.computed_start,
            marks[task.id],
        )
        for task in tasks
    ]


def runs_and_reviews(
    dbsession: Session, project_ids: Iterable[int]
) -> tuple[dict[int, LastRun], dict[int, ReviewsWaiting]]:
    """By project id, the last live run that covered each project (projects no run covered yet
    are left out) and the reviews of its tasks waiting for an answer: one query for both, then
    one for the runs found, however many projects."""
    ids = sorted(set(project_ids))
    waiting = {project_id: ReviewsWaiting(0, None) for project_id in ids}
    if not ids:
        return {}, waiting
    project = aliased(Project, name="p")
    last_run = literal_column(_LAST_RUN_SQL[dbsession.get_bind().dialect.name], Integer)

    def new_reviews(*columns):
        return (
            select(*columns)
            .select_from(Review)
            .join(Task, Task.id == Review.task_id)
            .where(Task.project_id == project.id, Review.status == ReviewStatus.NEW)
            .scalar_subquery()
        )

    run_ids = {}
    for project_id, run_id, count, oldest in dbsession.execute(
        select(
            project.id,
            last_run,
            new_reviews(func.count()),
            new_reviews(func.min(Review.date_created)),
        ).where(project.id.in_(ids))
    ):
        waiting[project_id] = ReviewsWaiting(count, oldest)
        if run_id is not None:
            run_ids[project_id] = run_id
    if not run_ids:
        return {}, waiting
    runs = {
        run.id: run
        for run in dbsession.scalars(
            select(ScheduleRun)
            .where(ScheduleRun.id.in_(set(run_ids.values())))
            .options(joinedload(ScheduleRun.requested_by))
        )
    }
    last_runs = {
        project_id: LastRun(runs[run_id], status_label(runs[run_id]))
        for project_id, run_id in run_ids.items()
    }
    return last_runs, waiting


def project_health(
    dbsession: Session,
    project: Project,
    calendar: StudioCalendar,
    now: datetime,
    *,
    with_loads: bool = True,
) -> ProjectHealth:
    """The project's health at ``now`` on the studio ``calendar``; the most loaded people only
    ``with_loads`` (for readers of the team's workload)."""
    lateness = lateness_summary(dbsession, project, now)
    last_runs, reviews = runs_and_reviews(dbsession, [project.id])
    return ProjectHealth(
        scheduled=lateness.scheduled,
        lateness=lateness,
        steps=step_progress(dbsession, project, calendar),
        burn_up=burn_up(dbsession, project, calendar, now),
        milestones=_milestones(dbsession, project, now),
        last_run=last_runs.get(project.id),
        reviews=reviews[project.id],
        loads=most_loaded(dbsession, project, calendar, now) if with_loads else None,
        daily_working_hours=calendar.daily_working_hours,
    )
