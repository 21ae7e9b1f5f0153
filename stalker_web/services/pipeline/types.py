"""Types managed from the browser: pipeline steps (task types, with their department and default
effort) and asset, shot, sequence and project types; names unique per target, deletion refused
while anything uses the type."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ...models import Department, PipelineStep, Project, Task, Type
from ...models.meta import utcnow
from ...models.schedule import TimeUnit, parse_enum
from ...models.type import TYPE_TARGETS
from ..errors import ValidationError, check_version, model_rules
from ..names import NAME_MAX_LENGTH, checked_name
from ..tasks.paths import task_paths

# What the page and its messages call the types of each target, and what uses them.
TARGET_TITLES = {
    "Task": "Pipeline steps",
    "Asset": "Asset types",
    "Shot": "Shot types",
    "Sequence": "Sequence types",
    "Project": "Project types",
}
TYPE_WORDS = {
    "Task": "pipeline step",
    "Asset": "asset type",
    "Shot": "shot type",
    "Sequence": "sequence type",
    "Project": "project type",
}
USER_WORDS = {
    "Task": ("task", "tasks"),
    "Asset": ("asset", "assets"),
    "Shot": ("shot", "shots"),
    "Sequence": ("sequence", "sequences"),
    "Project": ("project", "projects"),
}
EFFORT_MAX = 10_000
# How many of the things using a type a refused deletion names.
NAMED_USERS = 3


@dataclass(frozen=True)
class TypeFields:
    """What the create and edit forms submit; the step fields only count for pipeline steps."""

    name: str | None
    code: str | None
    color: str | None
    position: int | None
    department_id: int | None = None
    default_timing: float | None = None
    default_unit: str | None = None


@dataclass
class TypeRow:
    """A type as its tab lists it: with its step details and how many things use it."""

    kind: Type
    use_count: int


def checked_target(target: str | None) -> str:
    """``target`` when it is a target the Types page manages, else pipeline steps ("Task")."""
    return target if target in TYPE_TARGETS else "Task"


def _users_of(target: str):
    """The column pointing at a type of ``target``: Project.type_id or Task.type_id."""
    return Project.type_id if target == "Project" else Task.type_id


def type_rows(dbsession: Session, target: str) -> list[TypeRow]:
    """The types of ``target`` by position then name, each with its use count (two queries)."""
    kinds = list(
        dbsession.scalars(
            select(Type)
            .where(Type.target_entity_type == target)
            .options(joinedload(Type.step).joinedload(PipelineStep.department))
            .order_by(Type.position, Type.name, Type.id)
        ).unique()
    )
    column = _users_of(target)
    counts = dict(
        dbsession.execute(
            select(column, func.count())
            .where(column.in_([kind.id for kind in kinds]))
            .group_by(column)
        ).all()
        if kinds
        else []
    )
    return [TypeRow(kind, counts.get(kind.id, 0)) for kind in kinds]


def step_departments(dbsession: Session) -> list[Department]:
    """The departments a pipeline step may belong to, by name."""
    return list(dbsession.scalars(select(Department).order_by(Department.name, Department.id)))


def _unique_name(dbsession: Session, target: str, name: str | None, exclude_id: int | None) -> str:
    """A checked name no other type of ``target`` has, compared without case."""
    cleaned = checked_name(name)
    same_name = select(func.count()).where(
        Type.target_entity_type == target, func.lower(Type.name) == cleaned.lower()
    )
    if exclude_id is not None:
        same_name = same_name.where(Type.id != exclude_id)
    if dbsession.scalar(same_name):
        raise ValidationError(f"A {TYPE_WORDS[target]} named {cleaned!r} already exists.", "name")
    return cleaned


def _checked_code(code: str | None) -> str:
    cleaned = (code or "").strip()
    if not cleaned:
        raise ValidationError("A code is required.", "code")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise ValidationError(f"Use at most {NAME_MAX_LENGTH} characters.", "code")
    return cleaned


def _checked_colour(color: str | None) -> str | None:
    """``#rrggbb`` in lower case, or None; the ``#`` may be left out."""
    colour = (color or "").strip().lower()
    if colour and not colour.startswith("#"):
        colour = f"#{colour}"
    return colour or None


def _apply(dbsession: Session, kind: Type, fields: TypeFields) -> None:
    """Write ``fields`` on ``kind`` (and its PipelineStep row for a pipeline step)."""
    kind.code = _checked_code(fields.code)
    if fields.position is None:
        raise ValidationError("Give the order, a whole number such as 10.", "position")
    with model_rules():
        kind.color = _checked_colour(fields.color)
        kind.position = fields.position
    if kind.target_entity_type != "Task":
        return
    department = None
    if fields.department_id is not None:
        department = dbsession.get(Department, fields.department_id)
        if department is None:
            raise ValidationError(
                "That department no longer exists; reload the page.", "department_id"
            )
    timing = fields.default_timing
    if timing is not None and not 0 <= timing <= EFFORT_MAX:
        raise ValidationError(
            f"The default effort is a number from 0 to {EFFORT_MAX:,}.", "default_timing"
        )
    unit = None
    if timing is not None:
        with model_rules():
            unit = parse_enum(TimeUnit, fields.default_unit, "default_unit", "The effort unit")
    if kind.step is None:
        kind.step = PipelineStep()
    kind.step.department = department
    kind.step.default_schedule_timing = timing
    kind.step.default_schedule_unit = unit


def create_type(dbsession: Session, target: str, fields: TypeFields) -> Type:
    """Create a type of ``target`` (a pipeline step when ``target`` is "Task")."""
    if target not in TYPE_TARGETS:
        raise ValidationError("Choose what the type is for: steps, assets, shots...")
    kind = Type(target_entity_type=target, name=_unique_name(dbsession, target, fields.name, None))
    _apply(dbsession, kind, fields)
    dbsession.add(kind)
    dbsession.flush()
    return kind


def update_type(
    dbsession: Session, kind: Type, *, submitted_version: int | None, fields: TypeFields
) -> Type:
    """Save a type edited from the page loaded at ``submitted_version``."""
    target = kind.target_entity_type
    check_version(kind, submitted_version, f"This {TYPE_WORDS.get(target, 'type')}")
    kind.name = _unique_name(dbsession, target, fields.name, kind.id)
    _apply(dbsession, kind, fields)
    # A change of the step details alone must still bump the type's version.
    kind.date_updated = utcnow()
    dbsession.flush()
    return kind


def _users_named(dbsession: Session, kind: Type) -> list[str]:
    """The first few things using ``kind``: project names, or task paths."""
    if kind.target_entity_type == "Project":
        return list(
            dbsession.scalars(
                select(Project.name)
                .where(Project.type_id == kind.id)
                .order_by(Project.name)
                .limit(NAMED_USERS)
            )
        )
    tasks = list(
        dbsession.scalars(
            select(Task).where(Task.type_id == kind.id).order_by(Task.id).limit(NAMED_USERS)
        )
    )
    paths = task_paths(dbsession, tasks)
    return [paths.get(task.id, task.name) for task in tasks]


def delete_type(dbsession: Session, kind: Type) -> None:
    """Delete an unused type; refused, naming a few users, while anything has it."""
    target = kind.target_entity_type
    if target not in TYPE_TARGETS:
        raise ValidationError("This type is managed elsewhere and cannot be deleted here.")
    column = _users_of(target)
    count = dbsession.scalar(select(func.count()).where(column == kind.id)) or 0
    if count:
        one, many = USER_WORDS[target]
        named = ", ".join(_users_named(dbsession, kind))
        more = f" and {count - NAMED_USERS:,} more" if count > NAMED_USERS else ""
        users = f"{one} uses" if count == 1 else f"{many} use"
        raise ValidationError(
            f"{count:,} {users} {kind.name}: {named}{more}. "
            f"Give them another type first; {kind.name} was not deleted."
        )
    dbsession.delete(kind)
    dbsession.flush()
