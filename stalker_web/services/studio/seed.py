"""Building blocks shared by the demo and the large studio: steps, types, people, projects."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ...models import (
    Department,
    DepartmentUser,
    Group,
    Permission,
    PipelineStep,
    Project,
    ProjectUser,
    Role,
    Status,
    StatusList,
    Type,
    User,
)
from ...models.schedule import TimeUnit
from ..accounts.passwords import hash_password
from ..errors import ValidationError
from ..pipeline.steps import save_step_columns

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
# The pipeline's order (the Types page, forms and boards list steps by it): assets' steps first.
PIPELINE_ORDER = (*ASSET_STEPS, *SHOT_STEPS)
ASSET_TYPES = ("Character", "Prop", "Environment")
PROJECT_TYPES = ("Feature Film", "Commercial", "Library")
# Colours of the generated types, on boards, lists and the Types page.
TYPE_COLOURS = {
    "Model": "#4e79a7",
    "Rig": "#f28e2b",
    "Shading": "#b07aa1",
    "Layout": "#59a14f",
    "Animation": "#e15759",
    "Lighting": "#edc948",
    "Comp": "#76b7b2",
    "Character": "#ff9da7",
    "Prop": "#9c755f",
    "Environment": "#8cd17d",
    "Feature Film": "#4e79a7",
    "Commercial": "#f28e2b",
    "Library": "#79706e",
}
# Generated types are numbered 10, 20, 30... so a studio can slot its own in between.
POSITION_STEP = 10
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
    """The Types ``names`` of ``target``; one created here gets its colour and its position in
    the order of ``names``, while a type the studio already has keeps its own."""
    return {
        name: get_or_create(
            dbsession,
            Type,
            {"target_entity_type": target, "name": name},
            code=name,
            color=TYPE_COLOURS.get(name),
            position=POSITION_STEP * number,
        )
        for number, name in enumerate(names, start=1)
    }


def describe_steps(
    dbsession: Session, catalog: Catalog, department_of: Callable[[str], str]
) -> None:
    """Give each generated step that has none its pipeline details: the department
    ``department_of(step)`` (an existing one) and a default effort in the middle of STEP_DAYS."""
    departments = {row.name: row for row in dbsession.scalars(select(Department))}
    for name, step in catalog.task_types.items():
        if step.step is None:
            fewest, most = STEP_DAYS[name]
            step.step = PipelineStep(
                department=departments.get(department_of(name)),
                default_schedule_timing=(fewest + most) / 2,
                default_schedule_unit=TimeUnit.DAY,
            )
    dbsession.flush()


def load_catalog(dbsession: Session) -> Catalog:
    """Statuses, types and roles for generated data (created when the studio lacks them)."""
    project_statuses = dbsession.scalars(
        select(StatusList).where(StatusList.target_entity_type == "Project")
    ).one()
    wip = [status for status in project_statuses.statuses if status.code == "WIP"]
    catalog = Catalog(
        project_status=(wip or project_statuses.statuses)[0],
        task_types=types_for(dbsession, "Task", PIPELINE_ORDER),
        asset_types=types_for(dbsession, "Asset", ASSET_TYPES),
        project_types=types_for(dbsession, "Project", PROJECT_TYPES),
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
    """A project in Work In Progress, with ``members`` (leads as Lead, producers as Producer) and
    its board columns: the shot steps for shots, the asset steps for assets."""
    project = Project(status=catalog.project_status, **values)
    for user in members:
        role = user.department_memberships[0].role if user.department_memberships else None
        project.members.append(ProjectUser(user=user, role=role))
    dbsession.add(project)
    dbsession.flush()
    save_step_columns(
        dbsession,
        project,
        {
            target: [(catalog.task_types[step].id, order) for order, step in enumerate(steps, 1)]
            for target, steps in (("Shot", SHOT_STEPS), ("Asset", ASSET_STEPS))
        },
    )
    return project
