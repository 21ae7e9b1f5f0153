"""A producer's part of the home page: the health of the projects they follow (late and at-risk
counts, progress, last schedule run, reviews waiting), one grouped query per measure for all of
them, so the page costs the same for one project or fifty."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ...models import Project
from ..health.lateness_lists import lateness_counts
from ..health.overview import LastRun, ReviewsWaiting, runs_and_reviews
from ..tasks.progress import Progress, StudioCalendar, projects_progress

PROJECTS_SHOWN = 20


@dataclass(frozen=True)
class ProjectLine:
    """One project's health in a line."""

    project: Project
    late: int
    at_risk: int
    progress: Progress
    last_run: LastRun | None
    reviews: ReviewsWaiting


@dataclass(frozen=True)
class FollowedProjects:
    """The projects shown (by name, ``PROJECTS_SHOWN`` at most) and how many there are."""

    lines: list[ProjectLine]
    total: int


def followed_projects(
    dbsession: Session,
    project_ids: Iterable[int] | None,
    calendar: StudioCalendar,
    now: datetime,
) -> FollowedProjects:
    """The health of the projects of ``project_ids`` (every project when None) at ``now``:
    at most five queries however many projects and tasks (the projects and their count in one;
    the last schedule runs only when some project has one)."""
    statement = select(Project, func.count().over())
    if project_ids is not None:
        statement = statement.where(Project.id.in_(list(project_ids)))
    rows = dbsession.execute(
        statement.options(joinedload(Project.status))
        .order_by(Project.name, Project.id)
        .limit(PROJECTS_SHOWN)
    ).all()
    projects = [project for project, _ in rows]
    total = rows[0][1] if rows else 0
    ids = [project.id for project in projects]
    lateness = lateness_counts(dbsession, ids, now)
    progress = projects_progress(dbsession, ids, calendar, now)
    runs, reviews = runs_and_reviews(dbsession, ids)
    lines = [
        ProjectLine(
            project,
            *lateness[project.id],
            progress[project.id],
            runs.get(project.id),
            reviews[project.id],
        )
        for project in projects
    ]
    return FollowedProjects(lines, total)
