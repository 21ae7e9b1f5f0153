"""The health section of a project's overview, assembled: lateness, progress per step, the
burn-up chart, upcoming milestones, the last schedule run, reviews waiting and the most loaded
people, in a fixed number of queries whatever the project's size."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, exists, func, select, text
from sqlalchemy.orm import Session, joinedload

from ...models import Project, Review, ScheduleRun, Status, Task
from ...models.meta import UTCDateTime
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

# The live plan's last run since the project exists whose scope held it (None or a JSON null:
# every project).
_LAST_RUN_SQL = {
    "sqlite": (
        "SELECT id FROM schedule_runs WHERE scenario_id IS NULL AND date_created >= :created "
        "AND (project_ids IS NULL OR json_type(project_ids) = 'null' "
        "OR EXISTS (SELECT 1 FROM json_each(project_ids) WHERE value = :project)) "
        "ORDER BY id DESC LIMIT 1"
    ),
    "postgresql": (
        "SELECT id FROM schedule_runs WHERE scenario_id IS NULL AND date_created >= :created "
        "AND (project_ids IS NULL OR json_typeof(project_ids) = 'null' "
        "OR project_ids::jsonb @> jsonb_build_array(CAST(:project AS integer))) "
        "ORDER BY id DESC LIMIT 1"
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


def _last_run(dbsession: Session, project: Project) -> LastRun | None:
    sql = _LAST_RUN_SQL[dbsession.get_bind().dialect.name]
    created = text(sql).bindparams(bindparam("created", type_=UTCDateTime))
    run_id = dbsession.scalar(created, {"project": project.id, "created": project.date_created})
    if run_id is None:
        return None
    run = dbsession.scalars(
        select(ScheduleRun)
        .where(ScheduleRun.id == run_id)
        .options(joinedload(ScheduleRun.requested_by))
    ).one()
    return LastRun(run, status_label(run))


def _reviews_waiting(dbsession: Session, project: Project) -> ReviewsWaiting:
    count, oldest = dbsession.execute(
        select(func.count(), func.min(Review.date_created))
        .join(Task, Task.id == Review.task_id)
        .where(Task.project_id == project.id, Review.status == ReviewStatus.NEW)
    ).one()
    return ReviewsWaiting(count, oldest)


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
    scheduled = dbsession.scalar(
        select(exists().where(Task.project_id == project.id, Task.computed_end.is_not(None)))
    )
    return ProjectHealth(
        scheduled=bool(scheduled),
        lateness=lateness_summary(dbsession, project, now),
        steps=step_progress(dbsession, project, calendar),
        burn_up=burn_up(dbsession, project, calendar, now),
        milestones=_milestones(dbsession, project, now),
        last_run=_last_run(dbsession, project),
        reviews=_reviews_waiting(dbsession, project),
        loads=most_loaded(dbsession, project, calendar, now) if with_loads else None,
        daily_working_hours=calendar.daily_working_hours,
    )
