"""Bulk creation: a range of shots in a sequence, and standard child tasks from a template."""

from collections.abc import Iterable, Mapping
from collections.abc import Sequence as SequenceOf
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import Project, Sequence, Shot, Task, TaskDependency, Type, User
from ...models.meta import InvalidValue
from ...models.schedule import TimeUnit, parse_enum
from ..accounts.user_search import Picked
from ..errors import ValidationError, model_rules
from ..tasks.commands import check_no_resources, create_task
from ..tasks.staffing import NO_STEP, NOBODY, picked_people, step_defaults
from ..workflow import rules
from ..workflow.actions import refresh_containers
from ..workflow.statuses import task_status

MAX_SHOTS = 2000
# Frames a cut may use: 0 up to this (editorial's frame counts stay well under it).
MAX_FRAME = 9_999_999
DEFAULT_CUT = (1001, 1100)


def default_shot_prefix(sequence_code: str) -> str:
    """The prefix of a sequence's shot codes when none is given: SQ01 → SQ01_SH (SQ01_SH010), so
    two sequences never clash."""
    return f"{sequence_code}_SH"


def shot_codes(prefix: str, start: int, end: int, step: int, digits: int) -> list[str]:
    """The codes of a range: ("SH", 10, 30, 10, 3) → SH010, SH020, SH030."""
    if step <= 0:
        raise ValidationError("The step must be 1 or more.", "step")
    if end < start:
        raise ValidationError("The last number must not be before the first.", "end")
    if start < 0:
        raise ValidationError("The first number must be 0 or more.", "start")
    if not 1 <= digits <= 8:
        raise ValidationError("The number of digits must be from 1 to 8.", "digits")
    count = (end - start) // step + 1
    if count > MAX_SHOTS:
        raise ValidationError(
            f"This range makes {count} shots; at most {MAX_SHOTS} can be created at once.", "end"
        )
    prefix = (prefix or "").strip()
    if "/" in prefix:
        raise ValidationError("A shot code cannot contain “/”.", "prefix")
    return [f"{prefix}{number:0{digits}d}" for number in range(start, end + 1, step)]


def _whole(value, field: str, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{label} must be a whole number.", field)
    if not 0 <= value <= MAX_FRAME:
        raise ValidationError(f"{label} must be from 0 to {MAX_FRAME:,}.", field)
    return value


def shot_cuts(
    count: int, cut_in: int, cut_out: int, continued: bool = False
) -> list[tuple[int, int]]:
    """The (cut in, cut out) of each of ``count`` shots whose first is ``cut_in``-``cut_out``:
    every shot the same (each shot's own frame range, as VFX editorial numbers them, from 1001),
    or, ``continued``, each starting on the frame after the one before (one running count)."""
    cut_in = _whole(cut_in, "cut_in", "The cut in")
    cut_out = _whole(cut_out, "cut_out", "The cut out")
    if cut_out < cut_in:
        raise ValidationError(
            f"The cut out ({cut_out}) must not be before the cut in ({cut_in}).", "cut_out"
        )
    length = cut_out - cut_in + 1
    if not continued:
        return [(cut_in, cut_out)] * count
    last_out = cut_in + count * length - 1
    if last_out > MAX_FRAME:
        raise ValidationError(
            f"Continued, the last shot would end on frame {last_out:,}, past {MAX_FRAME:,}: "
            "use shorter cuts or fewer shots.",
            "cut_out",
        )
    return [(cut_in + index * length, cut_in + (index + 1) * length - 1) for index in range(count)]


def create_shot_range(
    dbsession: Session,
    sequence: Sequence,
    prefix: str = "SH",
    start: int = 10,
    end: int = 200,
    step: int = 10,
    digits: int = 3,
    cut_in: int = DEFAULT_CUT[0],
    cut_out: int = DEFAULT_CUT[1],
    cuts_continue: bool = False,
    **values,
) -> list[Shot]:
    """Create shots ``prefix``+number under ``sequence`` (SH010..SH200 by 10), cut as
    ``shot_cuts`` says; ``values`` are given to every shot (schedule_timing...). Nothing is
    created on any error."""
    if not isinstance(sequence, Sequence):
        raise ValidationError("Shots are created in a sequence.", "sequence")
    codes = shot_codes(prefix, start, end, step, digits)
    cuts = shot_cuts(len(codes), cut_in, cut_out, cuts_continue)
    taken = dbsession.scalars(
        select(Task.code)
        .where(
            Task.project_id == sequence.project_id,
            Task.entity_type == "Shot",
            func.lower(Task.code).in_([code.lower() for code in codes]),
        )
        .order_by(Task.code)
    ).all()
    if taken:
        raise ValidationError(
            f"These shot codes are already used in project {sequence.project.name}: "
            f"{', '.join(taken)}. Choose another prefix or range.",
            "start",
        )
    check_no_resources(dbsession, sequence)
    status = task_status(dbsession, rules.RTS)
    with model_rules():  # every shot gets the same values: one detached probe checks them all
        Shot(project=sequence.project, code=codes[0], status=status, **values)
    shots = []
    for code, (shot_in, shot_out) in zip(codes, cuts, strict=True):
        shot = Shot(
            project=sequence.project,
            parent=sequence,
            code=code,
            status=status,
            cut_in=shot_in,
            cut_out=shot_out,
            **values,
        )
        shot.sequence = sequence
        shots.append(shot)
    dbsession.add_all(shots)
    dbsession.flush()
    refresh_containers(dbsession, shots[:1])
    return shots


@dataclass(frozen=True)
class ChildTask:
    """One standard child task: its name, Task type name, schedule and sibling dependencies."""

    name: str
    type_name: str | None = None
    schedule_timing: float = 1.0
    schedule_unit: str = "h"
    depends_on: tuple[str, ...] = ()


def template_from_config(rows: Iterable[SequenceOf]) -> list[ChildTask]:
    """A template from the config's rows: [name, type, timing, unit, (sibling names...)]."""
    template = []
    for row in rows:
        name, type_name, timing, unit, *rest = [*row, None, None, None, None][:5]
        depends = rest[0] or ()
        template.append(
            ChildTask(
                name=name,
                type_name=type_name,
                schedule_timing=1.0 if timing is None else timing,
                schedule_unit=unit or "h",
                depends_on=(depends,) if isinstance(depends, str) else tuple(depends),
            )
        )
    return template


def studio_template(config: dict, key: str) -> list[ChildTask]:
    """The studio config's ``[task_templates]`` entry ``key`` (an asset type name or "Shot")."""
    rows = config.get("task_templates", {}).get(key)
    if not rows:
        raise ValidationError(f"The studio has no task template for {key}.", "template")
    return template_from_config(rows)


def _check_template(template: list[ChildTask]) -> None:
    seen: set[str] = set()
    for entry in template:
        name = (entry.name or "").strip()
        if not name:
            raise ValidationError("Every task of the template needs a name.", "template")
        if name in seen:
            raise ValidationError(f"The template names {name} twice.", "template")
        for other in entry.depends_on:
            if other not in seen:
                raise ValidationError(
                    f"In the template, {name} depends on {other}, which must come before it.",
                    "template",
                )
        timing = entry.schedule_timing
        if isinstance(timing, bool) or not isinstance(timing, int | float) or timing < 0:
            raise ValidationError(
                f"The timing of {name} must be a number of zero or more.", "template"
            )
        try:
            parse_enum(TimeUnit, entry.schedule_unit, "template", "The schedule unit")
        except InvalidValue as error:
            raise ValidationError(f"{name}: {error.message}", "template") from error
        seen.add(name)


def _task_types(dbsession: Session, template: list[ChildTask]) -> dict[str, Type]:
    names = {entry.type_name for entry in template if entry.type_name}
    types = {
        kind.name: kind
        for kind in dbsession.scalars(
            select(Type).where(Type.target_entity_type == "Task", Type.name.in_(names))
        )
    }
    missing = sorted(names - set(types))
    if missing:
        raise ValidationError(
            f"These task types do not exist: {', '.join(missing)}. "
            "Ask an administrator to add them or change the template.",
            "template",
        )
    return types


def _check_parents(dbsession: Session, parents: list[Task], names: list[str]) -> None:
    if not parents:
        raise ValidationError("Choose at least one task to add the child tasks to.", "parents")
    clashes = dbsession.execute(
        select(Task.name, Task.parent_id)
        .where(Task.parent_id.in_([parent.id for parent in parents]), Task.name.in_(names))
        .order_by(Task.parent_id, Task.name)
    ).all()
    if clashes:
        by_id = {parent.id: parent.name for parent in parents}
        listed = ", ".join(f"{by_id[parent_id]}/{name}" for name, parent_id in clashes)
        raise ValidationError(f"These child tasks already exist: {listed}.", "parents")
    for parent in parents:
        check_no_resources(dbsession, parent)


@dataclass(frozen=True)
class StepPeople:
    """The people picked for one task of a template: its resources and responsible."""

    resources: Picked = NOBODY
    responsible: Picked = NOBODY


def step_field(index: int, place: str) -> str:
    """The form field of the picker of ``place`` for the template's ``index``-th task."""
    return f"step{index}_{place}"


@dataclass(frozen=True)
class TemplateStep:
    """A task of a template as its people pickers show it: its department (whose members are
    offered first) and the managers who become its responsible when nobody is picked."""

    index: int
    task: ChildTask
    department_id: int | None
    managers: list[User]


def template_steps(
    dbsession: Session, project: Project, template: list[ChildTask]
) -> list[TemplateStep]:
    """The template's tasks with their pipeline steps' departments and managers (3 queries)."""
    names = {entry.type_name for entry in template if entry.type_name}
    types = {
        kind.name: kind.id
        for kind in dbsession.scalars(
            select(Type).where(Type.target_entity_type == "Task", Type.name.in_(names))
        )
    }
    steps = step_defaults(dbsession, types.values(), project)
    return [
        TemplateStep(
            index,
            entry,
            steps.get(types.get(entry.type_name), NO_STEP).department_id,
            steps.get(types.get(entry.type_name), NO_STEP).managers,
        )
        for index, entry in enumerate(template)
    ]


def _staffing(
    dbsession: Session,
    project: Project,
    template: list[ChildTask],
    types: dict[str, Type],
    people: Mapping[str, StepPeople],
) -> dict[str, dict[str, list[User]]]:
    """The resources and responsible of each task of the template (by name), checked once for
    every parent; the responsible default to the managers of the step's department."""
    names = [entry.name.strip() for entry in template]
    strangers = sorted(set(people) - set(names))
    if strangers:
        raise ValidationError(
            f"The template has no {', '.join(strangers)} task to give people to.", "template"
        )
    type_ids = [types[entry.type_name].id for entry in template if entry.type_name in types]
    steps = step_defaults(dbsession, type_ids, project)
    staffing = {}
    for index, (name, entry) in enumerate(zip(names, template, strict=True)):
        picked = people.get(name, StepPeople())
        kind = types.get(entry.type_name)
        defaults = steps.get(kind.id, NO_STEP) if kind else NO_STEP
        resources, responsible = (
            picked_people(dbsession, project, getattr(picked, place), step_field(index, place))
            for place in ("resources", "responsible")
        )
        staffing[name] = {
            "resources": resources,
            "responsible": responsible or list(defaults.managers),
        }
    return staffing


def create_child_tasks(
    dbsession: Session,
    parents: Iterable[Task],
    template: Iterable[ChildTask],
    people: Mapping[str, StepPeople] | None = None,
) -> list[Task]:
    """Add the template's tasks under each parent, siblings waiting for each other as the
    template says (Layout → Animation → Lighting), with the ``people`` picked per task name
    (resources and responsible; the responsible default to the step department's managers).
    Nothing is created on any error."""
    parents, template = list(parents), list(template)
    _check_template(template)
    types = _task_types(dbsession, template)
    _check_parents(dbsession, parents, [entry.name.strip() for entry in template])
    staffing = (
        _staffing(dbsession, parents[0].project, template, types, people or {}) if parents else {}
    )
    ready, waiting = task_status(dbsession, rules.RTS), task_status(dbsession, rules.WFD)
    created = []
    for parent in parents:
        siblings: dict[str, Task] = {}
        for entry in template:
            task = create_task(
                dbsession,
                "Task",
                parent=parent,
                status=waiting if entry.depends_on else ready,
                name=entry.name.strip(),
                type=types.get(entry.type_name),
                schedule_timing=entry.schedule_timing,
                schedule_unit=entry.schedule_unit,
                **staffing[entry.name.strip()],
            )
            for other in entry.depends_on:
                dbsession.add(TaskDependency(task=task, depends_on=siblings[other]))
            siblings[task.name] = task
            created.append(task)
    dbsession.flush()
    return created
