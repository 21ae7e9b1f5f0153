"""Building blocks shared by the demo and the large studio: steps, types, people, projects."""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ...models import (
    Department,
    DepartmentUser,
    Group,
    Permission,
    Project,
    ProjectUser,
    Role,
    Status,
    StatusList,
    Type,
    User,
)
from ..accounts.passwords import hash_password
from ..errors import ValidationError

DEMO_PASSWORD = "demo-password"  # noqa: S105 - documented in README.md; demo data only
ASSET_STEPS = ("Model", "Rig", "Shading")
SHOT_STEPS = ("Layout", "Animation", "Lighting", "Comp")
# Step: (department, fewest and most working days it takes).
STEPS = {
    "Model": ("Modeling", 2, 5),
    "Rig": ("Rigging", 2, 4),
    "Shading": ("Lighting", 1, 3),
    "Layout": ("Animation", 1, 2),
    "Animation": ("Animation", 2, 6),
    "Lighting": ("Lighting", 1, 3),
    "Comp": ("Compositing", 1, 2),
}
STEP_DEPARTMENT = {step: department for step, (department, *_) in STEPS.items()}
STEP_DAYS = {step: days for step, (_, *days) in STEPS.items()}
PRODUCER_PERMISSIONS = ("Create", "Read", "Update", "Delete")
ARTIST_PERMISSIONS = ("Read",)
# Producers also run the schedule, keep the studio's vacation calendar and the pipeline steps,
# and see everybody's workload.
PRODUCER_STUDIO_PERMISSIONS = (
    ("Read", "Workload"),
    ("List", "Type"),
    ("Create", "Type"),
    ("Update", "Type"),
    ("List", "ScheduleRun"),
    ("Create", "ScheduleRun"),
    ("List", "Vacation"),
    ("Create", "Vacation"),
    ("Update", "Vacation"),
    ("Delete", "Vacation"),
)


# The roles generated people hold, with what a role created here manages (as the default
# configuration seeds them); a role the studio already has keeps its own flags.
SEED_ROLES = {
    "Lead": {"manages_department": True, "manages_project": True},
    "Artist": {"manages_department": False, "manages_project": False},
    "Producer": {"manages_department": False, "manages_project": True},
    "Supervisor": {"manages_department": True, "manages_project": True},
}


@dataclass
class Catalog:
    """The rows every generated task needs, looked up (or created) once."""

    project_status: Status
    task_types: dict[str, Type]
    asset_types: dict[str, Type]
    project_types: dict[str, Type]
    roles: dict[str, Role]


def get_or_create(dbsession: Session, model, lookup: dict, **values):
    """The row of ``model`` matching ``lookup``, created with ``values`` when missing."""
    instance = dbsession.scalars(select(model).filter_by(**lookup)).one_or_none()
    if instance is None:
        instance = model(**lookup, **values)
        dbsession.add(instance)
    return instance


def types_for(dbsession: Session, target: str, names) -> dict[str, Type]:
    return {
        name: get_or_create(
            dbsession, Type, {"target_entity_type": target, "name": name}, code=name
        )
        for name in names
    }


def load_catalog(dbsession: Session) -> Catalog:
    """Statuses, types and roles for generated data (created when the studio lacks them)."""
    project_statuses = dbsession.scalars(
        select(StatusList).where(StatusList.target_entity_type == "Project")
    ).one()
    wip = [status for status in project_statuses.statuses if status.code == "WIP"]
    catalog = Catalog(
        project_status=(wip or project_statuses.statuses)[0],
        task_types=types_for(dbsession, "Task", STEP_DEPARTMENT),
        asset_types=types_for(dbsession, "Asset", ("Character", "Prop", "Environment")),
        project_types=types_for(dbsession, "Project", ("Feature Film", "Commercial", "Library")),
        roles={
            name: get_or_create(dbsession, Role, {"name": name}, **flags)
            for name, flags in SEED_ROLES.items()
        },
    )
    dbsession.flush()
    return catalog


def make_people(
    dbsession: Session, catalog: Catalog, departments: dict[str, int], login_format: str
) -> dict[str, list[User]]:
    """Users per department (first one Lead, Production holds Producers), all with the demo
    password hashed once; ``login_format`` gets ``department`` and ``number``."""
    logins = [
        login_format.format(department=name.lower(), number=number)
        for name, size in departments.items()
        for number in range(1, size + 1)
    ]
    taken = dbsession.scalar(select(User.login).where(User.login.in_(logins)).limit(1))
    if taken is not None:
        raise ValidationError(f"The login {taken} is already used: rename that user first.")
    password_hash = hash_password(DEMO_PASSWORD)
    people: dict[str, list[User]] = {}
    for department_name, size in departments.items():
        department = get_or_create(dbsession, Department, {"name": department_name})
        members = []
        for number in range(1, size + 1):
            login = login_format.format(department=department_name.lower(), number=number)
            role = "Lead" if number == 1 else "Artist"
            if department_name == "Production":
                role = "Producer"
            user = User(
                name=f"{department_name} {role} {number}",
                login=login,
                email=f"{login}@example.com",
                password_hash=password_hash,
                must_change_password=False,
                rate=float(300 + 25 * (number % 4)),
            )
            department.memberships.append(DepartmentUser(user=user, role=catalog.roles[role]))
            members.append(user)
        people[department_name] = members
    dbsession.add_all(user for members in people.values() for user in members)
    dbsession.flush()
    return people


def make_groups(dbsession: Session, people: dict[str, list[User]], suffix: str = "") -> None:
    """A Producers group (manage projects and tasks, schedule, vacations) and an Artists group
    (read them)."""
    classes = ("Project", "Task", "Asset", "Sequence", "Shot")
    for name, actions, extra, members in (
        (
            f"Producers{suffix}",
            PRODUCER_PERMISSIONS,
            PRODUCER_STUDIO_PERMISSIONS,
            people.get("Production", []),
        ),
        (
            f"Artists{suffix}",
            ARTIST_PERMISSIONS,
            (),
            [user for dept, users in people.items() if dept != "Production" for user in users],
        ),
    ):
        group = get_or_create(dbsession, Group, {"name": name})
        group.users.extend(user for user in members if user not in group.users)
        rows = dbsession.scalars(
            select(Permission).where(
                Permission.access == "Allow",
                or_(
                    Permission.action.in_(actions) & Permission.class_name.in_(classes),
                    *(
                        (Permission.action == action) & (Permission.class_name == class_name)
                        for action, class_name in extra
                    ),
                ),
            )
        )
        group.permissions.extend(row for row in rows if row not in group.permissions)
    dbsession.flush()


def make_project(dbsession: Session, catalog: Catalog, members: list[User], **values) -> Project:
    """A project in Work In Progress, with ``members`` (leads as Lead, producers as Producer)."""
    project = Project(status=catalog.project_status, **values)
    for user in members:
        role = user.department_memberships[0].role if user.department_memberships else None
        project.members.append(ProjectUser(user=user, role=role))
    dbsession.add(project)
    dbsession.flush()
    return project
