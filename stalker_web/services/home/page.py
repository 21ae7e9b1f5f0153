"""The home page assembled: the sections that apply to the person looking (``sections.py``), each
loaded only when shown, so the page costs a fixed number of queries whatever the studio holds."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.readable_projects import ReadableProjects
from ..tasks.progress import studio_calendar
from .changes import Changes, changes_for
from .department import DepartmentLoad, departments_load
from .projects import FollowedProjects, followed_projects
from .reviews import ReviewsForMe, reviews_for, waiting_count
from .sections import Section, Viewer, has_work, home_sections
from .studio import StudioState, studio_state
from .work import MyWork, my_work


@dataclass
class HomePage:
    """What the home page shows; a section's value is None when the section is not shown."""

    sections: list[Section]
    now: datetime
    work: MyWork | None = None
    changes: Changes | None = None
    weeks: list[datetime] = field(default_factory=list)
    departments: list[DepartmentLoad] = field(default_factory=list)
    reviews: ReviewsForMe | None = None
    projects: FollowedProjects | None = None
    studio: StudioState | None = None


def home_page(
    dbsession: Session,
    viewer: Viewer,
    now: datetime,
    readable: ReadableProjects,
    zone_name: str | None = None,
) -> HomePage:
    """The home page of ``viewer`` at ``now``, their days those of ``zone_name``'s clocks;
    ``readable`` names the projects whose tasks they may see (a task they wait for in another
    project stays unnamed)."""
    user = viewer.user
    waiting, has_tasks = dbsession.execute(
        select(waiting_count(user).scalar_subquery(), has_work(user))
    ).one()
    sections = home_sections(viewer, has_tasks=bool(has_tasks), reviews_waiting=waiting)
    page = HomePage(sections, now)
    if Section.DEPARTMENT in sections:
        page.weeks, page.departments = departments_load(dbsession, viewer.led_department_ids, now)
    if Section.REVIEWS in sections:
        page.reviews = reviews_for(dbsession, user, waiting)
    if Section.WORK in sections:
        page.work = my_work(dbsession, user, now, zone_name)
        page.changes = changes_for(dbsession, user, now, readable)
    if Section.PROJECTS in sections:
        project_ids = None if viewer.every_project else viewer.managed_project_ids
        page.projects = followed_projects(dbsession, project_ids, studio_calendar(dbsession), now)
    if Section.STUDIO in sections:
        page.studio = studio_state(dbsession, now)
    return page
