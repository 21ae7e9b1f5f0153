"""Which sections of the home page apply to the person looking, most relevant first: what they
were given by name (a department to lead, tasks, projects to manage) before what studio-wide
rights give them."""

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Exists, exists

from ...models import Task, User
from ..accounts.user_rights import UserRights
from ..workflow.pages import works_on


class Section(StrEnum):
    """A section of the home page."""

    DEPARTMENT = "department"
    REVIEWS = "reviews"
    WORK = "work"
    PROJECTS = "projects"
    STUDIO = "studio"


@dataclass(frozen=True)
class Viewer:
    """The person looking and the studio-wide rights the view read for them: to list every
    project (a producer's), and the admin's rights over accounts."""

    user: User
    every_project: bool = False
    studio_admin: bool = False
    # Their memberships as the request read them; None: read from ``user``'s relationships.
    rights: UserRights | None = None

    @property
    def _rights(self) -> UserRights:
        return self.rights if self.rights is not None else UserRights.of_user(self.user)

    @property
    def led_department_ids(self) -> list[int]:
        """The departments they lead: a membership whose role manages departments."""
        return sorted(self._rights.led_department_ids)

    @property
    def managed_project_ids(self) -> list[int]:
        """The projects they manage: a membership whose role manages projects."""
        return sorted(self._rights.managed_project_ids)


def has_work(user: User) -> Exists:
    """SQL: whether any task has ``user`` among its resources or computed resources."""
    return exists().where(works_on(user.id)).select_from(Task)


def home_sections(viewer: Viewer, *, has_tasks: bool, reviews_waiting: int) -> list[Section]:
    """The sections for ``viewer``, most relevant first: the department they lead and the reviews
    waiting for them, their own work, the projects they manage, the studio (admins), then every
    project when only studio-wide rights bring them. Empty when nothing applies."""
    sections = []
    if viewer.led_department_ids:
        sections.append(Section.DEPARTMENT)
    if viewer.led_department_ids or reviews_waiting:
        sections.append(Section.REVIEWS)
    if has_tasks:
        sections.append(Section.WORK)
    if viewer.managed_project_ids:
        sections.append(Section.PROJECTS)
    if viewer.studio_admin:
        sections.append(Section.STUDIO)
    if viewer.every_project and Section.PROJECTS not in sections:
        sections.append(Section.PROJECTS)
    return sections
