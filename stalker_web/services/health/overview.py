"""The health section of a project's overview, assembled: lateness, progress per step, the
burn-up chart, upcoming milestones, the last schedule run, reviews waiting and the most loaded
people, in a fixed number of queries whatever the project's size."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, exists, func, select, text
from sqlalchemy.orm import Session, joinedload

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

# For each project asked for, the live plan's last run since the project exists whose scope held
# it (None or a JSON null: every project).
_LAST_RUNS_SQL = {
    "sqlite": (
        "SELECT p.id, (SELECT r.id FROM schedule_runs AS r WHERE r.scenario_id IS NULL "
        "AND r.date_created >= p.date_created "
        "AND (r.project_ids IS NULL OR json_type(r.project_ids) = 'null' "
        "OR EXISTS (SELECT 1 FROM json_each(r.project_ids) WHERE value = p.id)) "
        "ORDER BY r.id DESC LIMIT 1) FROM projects AS p WHERE p.id IN :ids"
    ),
    "postgresql": (
        "SELECT p.id, (SELECT r.id FROM schedule_runs AS r WHERE r.scenario_id IS NULL "
        "AND r.date_created >= p.date_created "
        "AND (r.project_ids IS NULL OR json_typeof(r.project_ids) = 'null' "
        "OR r.project_ids::jsonb @> jsonb_build_array(p.id)) "
        "ORDER BY r.id DESC LIMIT 1) FROM projects AS p WHERE p.id IN :ids"
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


def last_runs(dbsession: Session, project_ids: Iterable[int]) -> dict[int, LastRun]:
    """The last live run that covered each project, by project id (two queries however many
    projects); projects no run covered yet are left out."""
    ids = sorted(set(project_ids))
    if not ids:
        return {}
    sql = text(_LAST_RUNS_SQL[dbsession.get_bind().dialect.name]).bindparams(
        bindparam("ids", expanding=True)
    )
    run_ids = {
        project_id: run_id
        for project_id, run_id in dbsession.execute(sql, {"ids": ids})
        if run_id is not None
    }
    if not run_ids:
        return {}
    runs = {
        run.id: run
        for run in dbsession.scalars(
            select(ScheduleRun)
            .where(ScheduleRun.id.in_(set(run_ids.values())))
            .options(joinedload(ScheduleRun.requested_by))
        )
    }
    return {
        project_id: LastRun(runs[run_id], status_label(runs[run_id]))
        for project_id, run_id in run_ids.items()
    }


def reviews_waiting(dbsession: Session, project_ids: Iterable[int]) -> dict[int, ReviewsWaiting]:
    """How many reviews of each project's tasks wait for an answer and since when, by project
    id (one grouped query however many projects)."""
    ids = sorted(set(project_ids))
    waiting = {project_id: ReviewsWaiting(0, None) for project_id in ids}
    if not ids:
        return waiting
    rows = dbsession.execute(
        select(Task.project_id, func.count(), func.min(Review.date_created))
        .join(Task, Task.id == Review.task_id)
        .where(Task.project_id.in_(ids), Review.status == ReviewStatus.NEW)
        .group_by(Task.project_id)
    )
    waiting.update(
        (project_id, ReviewsWaiting(count, oldest)) for project_id, count, oldest in rows
    )
    return waiting


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
        last_run=last_runs(dbsession, [project.id]).get(project.id),
        reviews=reviews_waiting(dbsession, [project.id])[project.id],
        loads=most_loaded(dbsession, project, calendar, now) if with_loads else None,
        daily_working_hours=calendar.daily_working_hours,
    )
