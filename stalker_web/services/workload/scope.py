"""Who a workload page shows: a department's members, a project's people (its members and
whoever is booked on its tasks, grouped by department), and the teams the workload index offers."""

from dataclasses import dataclass

from sqlalchemy import Select, case, func, select, union
from sqlalchemy.orm import Session

from ...models import Department, DepartmentUser, Project, ProjectUser, Task, User
from ...models.task import task_computed_resources, task_resources
from ...pagination import Page, paginate

PER_PAGE = 50
NO_DEPARTMENT = "No department"


@dataclass(frozen=True)
class WorkloadPerson:
    """A row of a workload grid: who, and the department they are grouped under ("" when the
    page does not group)."""

    id: int
    name: str
    group: str = ""


@dataclass(frozen=True)
class Team:
    """A department or project the index links to, with how many people it has."""

    entity: Department | Project
    people: int


def _people_page(
    dbsession: Session, statement: Select, number: int, per_page: int, params: dict
) -> Page:
    page = paginate(dbsession, statement, number, per_page, params=params)
    page.items = [WorkloadPerson(user.id, user.name) for user in page.items]
    return page


def department_people(
    dbsession: Session, department: Department, number: int = 1, per_page: int = PER_PAGE, **params
) -> Page:
    """A page of the department's members (``WorkloadPerson``), by name: two queries."""
    members = select(DepartmentUser.user_id).where(DepartmentUser.department_id == department.id)
    statement = select(User).where(User.id.in_(members)).order_by(User.name, User.id)
    return _people_page(dbsession, statement, number, per_page, params)


def _first_department_name():
    """SQL: the alphabetically first department of the ``User`` row (NULL when none)."""
    return (
        select(func.min(Department.name))
        .join(DepartmentUser, DepartmentUser.department_id == Department.id)
        .where(DepartmentUser.user_id == User.id)
        .scalar_subquery()
    )


def project_people(
    dbsession: Session, project: Project, number: int = 1, per_page: int = PER_PAGE, **params
) -> Page:
    """A page of the project's members and of the people its tasks are assigned or scheduled
    to, grouped by their (first) department, people of no department last: three queries."""
    people = union(
        select(ProjectUser.user_id).where(ProjectUser.project_id == project.id),
        select(task_resources.c.user_id)
        .join(Task, Task.id == task_resources.c.task_id)
        .where(Task.project_id == project.id),
        select(task_computed_resources.c.user_id)
        .join(Task, Task.id == task_computed_resources.c.task_id)
        .where(Task.project_id == project.id),
    ).subquery()
    department = _first_department_name()
    statement = (
        select(User)
        .where(User.id.in_(select(people.c.user_id)))
        .order_by(case((department.is_(None), 1), else_=0), department, User.name, User.id)
    )
    page = _people_page(dbsession, statement, number, per_page, params)
    groups = _department_names(dbsession, [person.id for person in page.items])
    page.items = [
        WorkloadPerson(person.id, person.name, groups.get(person.id, NO_DEPARTMENT))
        for person in page.items
    ]
    return page


def _department_names(dbsession: Session, user_ids: list[int]) -> dict[int, str]:
    """The alphabetically first department name of each of ``user_ids`` that has one."""
    if not user_ids:
        return {}
    rows = dbsession.execute(
        select(DepartmentUser.user_id, func.min(Department.name))
        .join(Department, Department.id == DepartmentUser.department_id)
        .where(DepartmentUser.user_id.in_(user_ids))
        .group_by(DepartmentUser.user_id)
    )
    return dict(rows.all())


def workload_teams(dbsession: Session) -> tuple[list[Team], list[Team]]:
    """Every department with its member count and every project with its member count, by
    name (two queries): the index keeps those whose workload the viewer may read."""
    member_count = (
        select(func.count(DepartmentUser.user_id))
        .where(DepartmentUser.department_id == Department.id)
        .scalar_subquery()
    )
    departments = [
        Team(department, count)
        for department, count in dbsession.execute(
            select(Department, member_count).order_by(Department.name, Department.id)
        )
    ]
    project_count = (
        select(func.count(ProjectUser.user_id))
        .where(ProjectUser.project_id == Project.id)
        .scalar_subquery()
    )
    projects = [
        Team(project, count)
        for project, count in dbsession.execute(
            select(Project, project_count).order_by(Project.name, Project.id)
        )
    ]
    return departments, projects
