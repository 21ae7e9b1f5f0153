"""Projects: creating and editing them, their members, the list a user may see, the overview."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from ...models import ImageFormat, Project, ProjectUser, Role, Status, StatusList, Task, User
from ...pagination import Page, paginate
from ..accounts.roles import chosen_role
from ..accounts.users import user_to_add
from ..errors import ValidationError, check_version, model_rules
from ..names import checked_name
from ..tasks.progress import (
    Progress,
    StudioCalendar,
    format_work_time,
    project_progress,
    studio_calendar,
)
from .member_tasks import MemberTasks, check_may_leave, member_tasks, take_off_tasks

_CODE = re.compile(r"^[A-Za-z0-9_]+$")
RECENT_CHANGES = 10
TEAM_PREVIEW = 12
# The settings of a new project unless given.
NEW_PROJECT = {"fps": 25.0, "image_format_id": None, "start": None, "end": None, "description": ""}


@dataclass
class ProjectSummary:
    """A project as the list shows it, with its number of members."""

    project: Project
    member_count: int


@dataclass
class ProjectOverview:
    """What the project page shows: task counts by status and by kind, the team, and progress
    (with the studio's daily working hours, to show its times in working days)."""

    status_counts: Sequence[tuple[str, str, str, int]]
    type_counts: Sequence[tuple[str, int]]
    task_count: int
    team: Sequence[ProjectUser]
    team_size: int
    recent: Sequence[Task]
    progress: Progress
    daily_working_hours: int

    def work_time(self, seconds: float) -> str:
        """``seconds`` in hours or working days, as the page shows times."""
        return format_work_time(seconds, self.daily_working_hours)


@dataclass
class MemberChoices:
    """The roles and the active non-members offered when managing a project's members."""

    roles: list[Role]
    candidates: list[User]


def _checked_code(dbsession: Session, code: str | None, exclude_id: int | None) -> str:
    cleaned = (code or "").strip()
    if not cleaned:
        raise ValidationError("A code is required.", "code")
    if not _CODE.match(cleaned):
        raise ValidationError("Use only letters, digits and underscores in the code.", "code")
    same = select(func.count()).where(func.lower(Project.code) == cleaned.lower())
    if exclude_id is not None:
        same = same.where(Project.id != exclude_id)
    if dbsession.scalar(same):
        raise ValidationError(f"Another project already has the code {cleaned!r}.", "code")
    return cleaned


def _image_format(dbsession: Session, image_format_id: int | None) -> ImageFormat | None:
    if image_format_id is None:
        return None
    image_format = dbsession.get(ImageFormat, image_format_id)
    if image_format is None:
        raise ValidationError("That image format is gone; choose another.", "image_format_id")
    return image_format


def _moment(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)


def project_statuses(dbsession: Session) -> list[Status]:
    """The statuses of the Project status list, in workflow order."""
    status_list = dbsession.scalar(
        select(StatusList).where(StatusList.target_entity_type == "Project")
    )
    return [] if status_list is None else status_list.statuses


def _status(dbsession: Session, *, code: str | None = None, status_id: int | None = None):
    for status in project_statuses(dbsession):
        if status.code == code or (status_id is not None and status.id == status_id):
            return status
    raise ValidationError("Choose a status of the Project status list.", "status_id")


def _apply(dbsession: Session, project: Project, values: dict) -> None:
    """Check and set the fields shared by creating and editing; nothing is set on a refusal."""
    name = checked_name(values["name"])
    image_format = _image_format(dbsession, values["image_format_id"])
    start, end = _moment(values["start"]), _moment(values["end"])
    if start is not None and end is not None and end < start:
        raise ValidationError("The end cannot come before the start.", "end")
    with model_rules():
        project.fps = values["fps"]
    project.name = name
    project.description = (values["description"] or "").strip()
    project.image_format = image_format
    project.set_dates(start, end)


def create_project(dbsession: Session, *, name: str, code: str, **values) -> Project:
    """Create a project, Ready To Start; the code is unique without case. ``values`` are those
    of :data:`NEW_PROJECT` (fps, image_format_id, start and end dates, description)."""
    code = _checked_code(dbsession, code, None)
    status = _status(dbsession, code="RTS")
    project = Project(name=checked_name(name), code=code, status=status)
    _apply(dbsession, project, NEW_PROJECT | values | {"name": name})
    dbsession.add(project)
    dbsession.flush()
    return project


def update_project(
    dbsession: Session,
    project: Project,
    *,
    submitted_version: int | None,
    status_id: int | None,
    code: str,
    **values,
) -> Project:
    """Edit a project loaded at ``submitted_version``: name, code, status, fps, format, dates."""
    check_version(project, submitted_version, "This project")
    code = _checked_code(dbsession, code, project.id)
    status = _status(dbsession, status_id=status_id)
    _apply(dbsession, project, values)
    project.code = code
    project.status = status
    dbsession.flush()
    return project


def visible_projects(dbsession: Session, user: User, *, see_all: bool, number: int) -> Page:
    """One page of projects by name: all of them with ``see_all``, else those ``user`` is in.

    Three queries whatever the number of projects: the count, the page, the member counts.
    """
    statement = (
        select(Project)
        .options(joinedload(Project.status), joinedload(Project.image_format))
        .order_by(Project.name, Project.id)
    )
    if not see_all:
        mine = select(ProjectUser.project_id).where(ProjectUser.user_id == user.id)
        statement = statement.where(Project.id.in_(mine))
    page = paginate(dbsession, statement, number)
    ids = [project.id for project in page.items]
    counts = dict(
        dbsession.execute(
            select(ProjectUser.project_id, func.count())
            .where(ProjectUser.project_id.in_(ids))
            .group_by(ProjectUser.project_id)
        ).all()
    )
    return replace(
        page, items=[ProjectSummary(project, counts.get(project.id, 0)) for project in page.items]
    )


def _task_counts(
    dbsession: Session, project: Project
) -> tuple[list[tuple[str, str, str, int]], list[tuple[str, int]]]:
    """The project's task counts by status (by status name) and by kind (by kind), from one
    GROUP BY over both."""
    by_status: dict[tuple[str, str, str], int] = {}
    by_kind: dict[str, int] = {}
    for code, name, color, kind, count in dbsession.execute(
        select(Status.code, Status.name, Status.color, Task.entity_type, func.count(Task.id))
        .join(Task, Task.status_id == Status.id)
        .where(Task.project_id == project.id)
        .group_by(Status.id, Status.code, Status.name, Status.color, Task.entity_type)
    ):
        by_status[code, name, color] = by_status.get((code, name, color), 0) + count
        by_kind[kind] = by_kind.get(kind, 0) + count
    status_counts = sorted(
        ((code, name, color, count) for (code, name, color), count in by_status.items()),
        key=lambda row: (row[1], row[0]),
    )
    return status_counts, sorted(by_kind.items())


def project_overview(
    dbsession: Session,
    project: Project,
    *,
    calendar: StudioCalendar | None = None,
    now: datetime | None = None,
) -> ProjectOverview:
    """Task counts by status and by kind (GROUP BY), the team by name, the ten tasks changed
    last with who changed them, and the project's progress at ``now`` on ``calendar`` (the
    studio's unless given): four queries whatever the size of the project (five without a
    calendar). The team is its first ``TEAM_PREVIEW`` members; the team page has all."""
    calendar = calendar if calendar is not None else studio_calendar(dbsession)
    status_counts, type_counts = _task_counts(dbsession, project)
    preview, team_size = _team_preview(dbsession, project)
    return ProjectOverview(
        status_counts=status_counts,
        type_counts=type_counts,
        task_count=sum(count for _, count in type_counts),
        team=preview,
        team_size=team_size,
        recent=dbsession.scalars(
            select(Task)
            .where(Task.project_id == project.id)
            .options(joinedload(Task.updated_by))
            .order_by(Task.date_updated.desc(), Task.id.desc())
            .limit(RECENT_CHANGES)
        ).all(),
        progress=project_progress(dbsession, project, calendar, now or datetime.now(UTC)),
        daily_working_hours=calendar.daily_working_hours,
    )


def _team_statement(project: Project):
    return (
        select(ProjectUser)
        .join(ProjectUser.user)
        .where(ProjectUser.project_id == project.id)
        .options(contains_eager(ProjectUser.user), joinedload(ProjectUser.role))
        .order_by(User.name, User.id)
    )


def _team_preview(dbsession: Session, project: Project) -> tuple[list[ProjectUser], int]:
    """The first ``TEAM_PREVIEW`` memberships and how many there are, in one query (the count
    is a window over the whole team)."""
    rows = dbsession.execute(
        _team_statement(project).add_columns(func.count().over()).limit(TEAM_PREVIEW)
    ).all()
    return [membership for membership, _ in rows], rows[0][1] if rows else 0


def team_page(dbsession: Session, project: Project, number: int) -> Page:
    """One page of the project's memberships, by user name."""
    return paginate(dbsession, _team_statement(project), number)


def member_choices(dbsession: Session, project: Project) -> MemberChoices:
    """The roles and the active users who are not members yet, by name."""
    members = select(ProjectUser.user_id).where(ProjectUser.project_id == project.id)
    return MemberChoices(
        roles=list(dbsession.scalars(select(Role).order_by(Role.name, Role.id))),
        candidates=list(
            dbsession.scalars(
                select(User)
                .where(User.is_active.is_(True), User.id.not_in(members))
                .order_by(User.name, User.id)
            )
        ),
    )


def _rate(rate: float | None) -> float | None:
    if rate is not None and rate < 0:
        raise ValidationError("A rate cannot be negative.", "rate")
    return rate


def _membership(dbsession: Session, project: Project, user_id: int | None) -> ProjectUser:
    membership = None if user_id is None else dbsession.get(ProjectUser, (project.id, user_id))
    if membership is None:
        raise ValidationError(f"That user is not a member of {project.name}; reload the page.")
    return membership


def add_member(
    dbsession: Session,
    project: Project,
    *,
    user_id: int | None,
    role_id: int | None,
    rate: float | None = None,
) -> ProjectUser:
    """Add an active non-member with a role; the rate defaults to the user's own rate."""
    user = user_to_add(dbsession, user_id)
    if dbsession.get(ProjectUser, (project.id, user.id)) is not None:
        raise ValidationError(f"{user.name} is already a member of {project.name}.", "user_id")
    role = chosen_role(dbsession, role_id)
    membership = ProjectUser(project=project, user=user, role=role, rate=_rate(rate))
    dbsession.add(membership)
    dbsession.flush()
    return membership


def update_member(
    dbsession: Session,
    project: Project,
    *,
    user_id: int,
    role_id: int | None,
    rate: float | None,
) -> ProjectUser:
    """Change a member's role and rate (a blank rate keeps the current one)."""
    membership = _membership(dbsession, project, user_id)
    role = chosen_role(dbsession, role_id)
    rate = _rate(rate)
    membership.role = role
    if rate is not None:
        membership.rate = rate
    dbsession.flush()
    return membership


@dataclass
class MemberRemoval:
    """Who left a project, and how many of its tasks they were taken off."""

    user: User
    task_count: int


def leaving_member(dbsession: Session, project: Project, *, user_id: int | None) -> MemberTasks:
    """What the removal of member ``user_id`` would change: the tasks of ``project`` naming
    them by role, and the reviews they still have to answer (which stop it)."""
    return member_tasks(dbsession, project, _membership(dbsession, project, user_id).user)


def remove_member(dbsession: Session, project: Project, *, user_id: int) -> MemberRemoval:
    """Remove a user from the project and, in the same transaction, take them off its tasks
    (resource, alternative, responsible, watcher, scheduled resource); their time logs, versions
    and account stay. Refused while they have reviews to answer in the project."""
    membership = _membership(dbsession, project, user_id)
    user = membership.user
    summary = check_may_leave(dbsession, project, user)
    take_off_tasks(dbsession, project, user)
    project.members.remove(membership)
    dbsession.flush()
    return MemberRemoval(user, summary.task_count)


def image_formats(dbsession: Session) -> list[ImageFormat]:
    """Every image format by name, for choosing a project's."""
    return list(dbsession.scalars(select(ImageFormat).order_by(ImageFormat.name, ImageFormat.id)))
