"""People on new tasks: what a pipeline step brings (its department, whose managers become the
responsible, and its default effort) and a new task created with its people."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import DepartmentUser, PipelineStep, Project, ProjectUser, Role, Task, Type, User
from ...models.schedule import TimeUnit
from ..accounts.user_search import Picked, picked_user_ids
from .choices import chosen_people
from .commands import create_task

# The fields of a new task holding people, in the order a form shows them.
NEW_TASK_PEOPLE = ("resources", "alternative_resources", "responsible")
DEFAULT_TIMING, DEFAULT_UNIT = 1.0, TimeUnit.HOUR.value


@dataclass(frozen=True)
class StepDefaults:
    """What a task of one pipeline step starts with; ``managers`` are the step department's
    managers who are members of the project (they become the responsible)."""

    department_id: int | None = None
    managers: list[User] = field(default_factory=list)
    schedule_timing: float | None = None
    schedule_unit: str | None = None


NO_STEP = StepDefaults()
NOBODY = Picked()


def step_defaults(
    dbsession: Session, type_ids: Iterable[int | None], project: Project | None = None
) -> dict[int, StepDefaults]:
    """The defaults of the pipeline steps of ``type_ids`` (types without a step are left out),
    in at most two queries; with ``project``, the managers of each step's department who are
    active members of it (responsible people must be on the team)."""
    type_ids = {type_id for type_id in type_ids if type_id is not None}
    if not type_ids:
        return {}
    steps = dbsession.scalars(select(PipelineStep).where(PipelineStep.type_id.in_(type_ids))).all()
    managers = (
        department_managers(dbsession, {step.department_id for step in steps}, project)
        if project is not None
        else {}
    )
    return {
        step.type_id: StepDefaults(
            step.department_id,
            managers.get(step.department_id, []),
            step.default_schedule_timing,
            step.default_schedule_unit.value if step.default_schedule_unit else None,
        )
        for step in steps
    }


def department_managers(
    dbsession: Session, department_ids: Iterable[int | None], project: Project
) -> dict[int, list[User]]:
    """The active members of ``project`` who manage each department (a role whose
    ``manages_department`` flag is set), by name; one query."""
    department_ids = {key for key in department_ids if key is not None}
    found: dict[int, list[User]] = {}
    if not department_ids:
        return found
    rows = dbsession.execute(
        select(DepartmentUser.department_id, User)
        .join(User, User.id == DepartmentUser.user_id)
        .join(Role, Role.id == DepartmentUser.role_id)
        .join(ProjectUser, ProjectUser.user_id == User.id)
        .where(
            DepartmentUser.department_id.in_(department_ids),
            Role.manages_department.is_(True),
            User.is_active.is_(True),
            ProjectUser.project_id == project.id,
        )
        .order_by(User.name, User.id)
    )
    for department_id, user in rows:
        found.setdefault(department_id, []).append(user)
    return found


def picked_people(
    dbsession: Session,
    project: Project,
    picked: Picked,
    field: str,
    *,
    already: Iterable[User] = (),
) -> list[User]:
    """The users a picker chose for ``field`` (ticked, or typed logins) on a task of
    ``project`` (see ``chosen_people``: members, or people already holding the place)."""
    user_ids = picked_user_ids(dbsession, picked, field)
    return chosen_people(dbsession, project, user_ids, field, already=already)


def staffed_people(
    dbsession: Session,
    project: Project,
    picked: Mapping[str, Picked],
    defaults: StepDefaults = NO_STEP,
) -> dict[str, list[User]]:
    """The users of each people field of a new task (``NEW_TASK_PEOPLE``), members of
    ``project`` only; the responsible default to the step's managers when none is picked."""
    people = {
        name: picked_people(dbsession, project, picked.get(name, NOBODY), name)
        for name in NEW_TASK_PEOPLE
    }
    if not people["responsible"]:
        people["responsible"] = list(defaults.managers)
    return people


def create_staffed_task(
    dbsession: Session,
    kind: str,
    *,
    project: Project,
    parent: Task | None,
    type: Type | None,
    picked: Mapping[str, Picked],
    is_milestone: bool = False,
    **values,
) -> Task:
    """A new task with its people (``picked``: what the picker of each of ``NEW_TASK_PEOPLE``
    sent).

    With a type that is a pipeline step, a blank ``schedule_timing`` takes the step's default
    effort (else one hour) and the responsible default to its department's managers. Resources
    must be members of the project, as on the edit page; a milestone takes none.
    """
    defaults = step_defaults(dbsession, [type.id if type else None], project).get(
        type.id if type else None, NO_STEP
    )
    if values.get("schedule_timing") is None:
        if defaults.schedule_timing is not None:
            values["schedule_timing"] = defaults.schedule_timing
            values["schedule_unit"] = defaults.schedule_unit or DEFAULT_UNIT
        else:
            values["schedule_timing"] = DEFAULT_TIMING
    people = staffed_people(dbsession, project, picked, defaults)
    # The milestone flag goes first, so the model refuses resources under their own field.
    return create_task(
        dbsession,
        kind,
        project=project,
        parent=parent,
        is_milestone=is_milestone,
        type=type,
        **values,
        **people,
    )
