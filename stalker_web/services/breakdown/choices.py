"""What the bulk-creation pages offer and act on: a project's sequences, the groups of parents a
task template can be applied to, the studio's templates, and a shot range with its child tasks."""

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session, aliased

from ...limits import whole_number
from ...models import Asset, Project, Sequence, Shot, Task, Type
from ...models.task_path import subtree_pattern
from ..errors import ValidationError
from ..transactions import savepoint
from .bulk_creation import (
    ChildTask,
    StepPeople,
    create_child_tasks,
    create_shot_range,
    studio_template,
)

ASSET_TYPE, SEQUENCE, EVERY_SHOT = "asset_type", "sequence", "shots"


@dataclass(frozen=True)
class ParentGroup:
    """A set of tasks a template can be applied to: its form value, label and size."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class TemplateChoice:
    """One ``[task_templates]`` entry of the studio config, read for the page."""

    key: str
    tasks: list[ChildTask]

    @property
    def label(self) -> str:
        return f"{self.key}: {', '.join(task.name for task in self.tasks)}"


def template_choices(config: dict) -> list[TemplateChoice]:
    """The studio's task templates in the order the config lists them."""
    return [
        TemplateChoice(key, studio_template(config, key))
        for key, rows in config.get("task_templates", {}).items()
        if rows
    ]


def project_sequences(dbsession: Session, project: Project) -> list[Sequence]:
    """The sequences of ``project`` by code (one query)."""
    return list(
        dbsession.scalars(
            select(Sequence).where(Sequence.project_id == project.id).order_by(Sequence.code)
        )
    )


def project_sequence(dbsession: Session, project: Project, sequence_id: int | None) -> Sequence:
    """The sequence ``sequence_id`` of ``project``; refused when it is not one of its sequences."""
    sequence = dbsession.get(Sequence, sequence_id) if sequence_id is not None else None
    if sequence is None or sequence.project_id != project.id:
        raise ValidationError(f"Choose one of the sequences of {project.name}.", "sequence")
    return sequence


def _in_sequence(shot, sequence_id, subtree):
    """A shot belongs to a sequence when it points to it or lies inside it in the tree
    (``sequence_id`` and the ``subtree`` LIKE pattern are values or a joined sequence's SQL)."""
    return or_(shot.sequence_id == sequence_id, shot.path.like(subtree))


def parent_groups(dbsession: Session, project: Project) -> list[tuple[str, list[ParentGroup]]]:
    """The groups of tasks a template can be added to, with their sizes, in three queries:
    the assets of each asset type, the shots of each sequence, every shot of the project."""
    by_type = dbsession.execute(
        select(Type.id, Type.name, func.count(Task.id))
        .join(Task, Task.type_id == Type.id)
        .where(Task.project_id == project.id, Task.entity_type == "Asset")
        .group_by(Type.id, Type.name, Type.position)
        .order_by(Type.position, Type.name)
    ).all()
    shot = aliased(Shot)
    in_sequence = _in_sequence(shot, Sequence.id, Sequence.path.concat("%"))
    by_sequence = dbsession.execute(
        select(Sequence.id, Sequence.code, Sequence.name, func.count(distinct(shot.id)))
        .outerjoin(
            shot,
            in_sequence & (shot.entity_type == "Shot") & (shot.project_id == project.id),
        )
        .where(Sequence.project_id == project.id)
        .group_by(Sequence.id, Sequence.code, Sequence.name)
        .order_by(Sequence.code)
    ).all()
    every_shot = dbsession.scalar(
        select(func.count()).where(Task.project_id == project.id, Task.entity_type == "Shot")
    )
    return [
        (
            "Assets",
            [
                ParentGroup(f"{ASSET_TYPE}:{type_id}", f"{name} assets ({count})", count)
                for type_id, name, count in by_type
            ],
        ),
        (
            "Shots",
            [
                ParentGroup(
                    f"{SEQUENCE}:{sequence_id}",
                    f"Shots of {code}{f' {name}' if name != code else ''} ({count})",
                    count,
                )
                for sequence_id, code, name, count in by_sequence
            ]
            + [ParentGroup(EVERY_SHOT, f"Every shot of the project ({every_shot})", every_shot)],
        ),
    ]


def _group_key(choice: str | None) -> tuple[str, int | None]:
    kind, _, number = (choice or "").partition(":")
    if kind == EVERY_SHOT and not number:
        return kind, None
    key = whole_number(number)
    if kind in (ASSET_TYPE, SEQUENCE) and key is not None:
        return kind, key
    raise ValidationError("Choose the tasks to add the template's tasks to.", "parents")


def template_parents(
    dbsession: Session, project: Project, choice: str | None
) -> tuple[list[Task], str]:
    """The tasks of the parent group ``choice`` ("asset_type:3", "sequence:12" or "shots") in
    ``project``, by code, and how to name them in a message ("4 Character assets")."""
    kind, number = _group_key(choice)
    if kind == ASSET_TYPE:
        asset_type = dbsession.get(Type, number)
        if asset_type is None or asset_type.target_entity_type != "Asset":
            raise ValidationError("Choose one of the asset types listed.", "parents")
        model, where = Asset, [Asset.type_id == asset_type.id]
        one, many = f"{asset_type.name} asset", f"{asset_type.name} assets"
    elif kind == SEQUENCE:
        sequence = dbsession.get(Sequence, number)
        if sequence is None or sequence.project_id != project.id:
            raise ValidationError(f"Choose one of the sequences of {project.name}.", "parents")
        subtree = subtree_pattern(sequence.path)
        model, where = Shot, [_in_sequence(Shot, sequence.id, subtree)]
        one, many = f"shot of {sequence.code}", f"shots of {sequence.code}"
    else:
        model, where = Shot, []
        one, many = "shot", "shots"
    parents = dbsession.scalars(
        select(model).where(model.project_id == project.id, *where).order_by(model.code, model.id)
    ).all()
    if not parents:
        raise ValidationError(f"There is no {one} in {project.name} yet.", "parents")
    return list(parents), f"{len(parents)} {one if len(parents) == 1 else many}"


@dataclass(frozen=True)
class ShotRange:
    """What a shot range created: the sequence, its new shots and their new child tasks."""

    sequence: Sequence
    shots: list[Shot]
    children: list[Task]


def create_shots_with_tasks(
    dbsession: Session,
    project: Project,
    config: dict,
    *,
    sequence_id: int | None,
    template_key: str | None = None,
    people: Mapping[str, StepPeople] | None = None,
    **range_values,
) -> ShotRange:
    """A range of shots (``create_shot_range``) in the project's sequence ``sequence_id`` and,
    when ``template_key`` names a studio template, its child tasks under every new shot with the
    ``people`` picked per task name; in one savepoint, so nothing stays when any part is
    refused."""
    sequence = project_sequence(dbsession, project, sequence_id)
    template = studio_template(config, template_key) if template_key else None
    if people and template is None:
        raise ValidationError("Choose the standard child tasks to give people to.", "template")
    with savepoint(dbsession):
        shots = create_shot_range(dbsession, sequence, **range_values)
        children = create_child_tasks(dbsession, shots, template, people) if template else []
    return ShotRange(sequence, shots, children)


def create_template_tasks(
    dbsession: Session,
    project: Project,
    config: dict,
    *,
    template_key: str | None,
    parents_choice: str | None,
    people: Mapping[str, StepPeople] | None = None,
) -> tuple[list[Task], str]:
    """The studio template ``template_key`` added under each task of the parent group
    ``parents_choice`` (see ``template_parents``) with the ``people`` picked per task name, all
    or nothing; returns the new tasks and how to name their parents ("4 Character assets")."""
    if not template_key:
        raise ValidationError("Choose a template.", "template")
    template = studio_template(config, template_key)
    parents, described = template_parents(dbsession, project, parents_choice)
    with savepoint(dbsession):
        created = create_child_tasks(dbsession, parents, template, people)
    return created, described
