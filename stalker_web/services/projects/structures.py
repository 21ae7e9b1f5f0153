"""Structures and their filename templates: how projects lay out folders and name files."""

from collections import defaultdict
from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ...models import FilenameTemplate, Project, Structure
from ...models.meta import InvalidValue
from ...models.structure import TEMPLATE_TARGETS, structure_filename_templates
from ...pagination import Page, paginate
from ..errors import ValidationError, check_version, model_rules
from ..names import checked_name, checked_unique_name
from ..versions.template_values import (
    FILENAME_VARIABLES,
    FOLDER_VARIABLES,
    TemplateVariable,
    template_problem,
)


@dataclass
class StructureSummary:
    """A structure as the list shows it: its templates come loaded, plus the projects using it."""

    structure: Structure
    projects: list[Project]


def projects_using(dbsession: Session, structure_ids: list[int]) -> dict[int, list[Project]]:
    """The projects laid out by each of ``structure_ids``, by name (one query)."""
    if not structure_ids:
        return {}
    found: dict[int, list[Project]] = defaultdict(list)
    for project in dbsession.scalars(
        select(Project)
        .where(Project.structure_id.in_(structure_ids))
        .order_by(Project.name, Project.id)
    ):
        found[project.structure_id].append(project)
    return found


def structure_page(dbsession: Session, number: int) -> Page:
    """One page of structures by name with their templates and the projects using them:
    four queries whatever the number of rows."""
    statement = (
        select(Structure)
        .options(selectinload(Structure.templates))
        .order_by(Structure.name, Structure.id)
    )
    page = paginate(dbsession, statement, number)
    using = projects_using(dbsession, [structure.id for structure in page.items])
    return replace(
        page, items=[StructureSummary(item, using.get(item.id, [])) for item in page.items]
    )


def all_structures(dbsession: Session) -> list[Structure]:
    """Every structure by name, for choosing a project's."""
    return list(dbsession.scalars(select(Structure).order_by(Structure.name, Structure.id)))


def _check_variables(
    source: str, variables: tuple[TemplateVariable, ...], field: str, label: str
) -> None:
    """Refuse a template (already parsed by the model) using what ``variables`` do not offer,
    naming it under ``field``."""
    problem = template_problem(source, variables)
    if problem is not None:
        raise ValidationError(f"{label} {problem}.", field)


def _apply(
    dbsession: Session,
    structure: Structure,
    *,
    name: str | None,
    description: str | None,
    custom_template: str | None,
) -> None:
    name = checked_unique_name(dbsession, Structure, name, structure.id, "structure")
    probe = Structure()
    with model_rules():
        probe.custom_template = custom_template or ""
    _check_variables(
        probe.custom_template, FOLDER_VARIABLES, "custom_template", "The folder template"
    )
    structure.custom_template = probe.custom_template
    structure.name = name
    structure.description = (description or "").strip()


def create_structure(dbsession: Session, **values) -> Structure:
    """Create a structure from ``name`` (unique without case), ``description`` and
    ``custom_template`` (Jinja2 folder template seeing ``project`` only, refused when it does not
    parse or uses anything else)."""
    structure = Structure()
    _apply(dbsession, structure, **values)
    dbsession.add(structure)
    dbsession.flush()
    return structure


def update_structure(
    dbsession: Session, structure: Structure, *, submitted_version: int | None, **values
) -> Structure:
    """Edit a structure loaded at ``submitted_version`` (same values as creating one)."""
    check_version(structure, submitted_version, "This structure")
    _apply(dbsession, structure, **values)
    dbsession.flush()
    return structure


def _held_only_by(dbsession: Session, structure: Structure) -> list[FilenameTemplate]:
    """The templates of ``structure`` that no other structure holds."""
    ids = [template.id for template in structure.templates]
    if not ids:
        return []
    links = structure_filename_templates.c
    shared = set(
        dbsession.scalars(
            select(links.filename_template_id).where(
                links.filename_template_id.in_(ids), links.structure_id != structure.id
            )
        )
    )
    return [template for template in structure.templates if template.id not in shared]


def delete_structure(dbsession: Session, structure: Structure) -> None:
    """Delete a structure and the templates only it holds; refused while a project uses it."""
    using = projects_using(dbsession, [structure.id]).get(structure.id, [])
    if using:
        names = ", ".join(project.name for project in using)
        noun, its = ("project", "its") if len(using) == 1 else ("projects", "their")
        raise ValidationError(
            f"{structure.name} is used by the {noun} {names}; "
            f"choose another structure in {its} settings first."
        )
    orphans = _held_only_by(dbsession, structure)
    dbsession.delete(structure)
    for template in orphans:
        dbsession.delete(template)
    dbsession.flush()


def template_of(structure: Structure, template_id: int) -> FilenameTemplate | None:
    """The template ``template_id`` if ``structure`` holds it."""
    return next((item for item in structure.templates if item.id == template_id), None)


def _checked_target(target: str | None) -> str:
    if target not in TEMPLATE_TARGETS:
        raise ValidationError(
            f"Choose what the template is for: one of {', '.join(TEMPLATE_TARGETS)}.",
            "target_entity_type",
        )
    return target


def _check_one_per_target(
    dbsession: Session, template: FilenameTemplate, target: str, exclude_id: int | None
) -> None:
    """Refuse ``target`` when a structure holding ``template`` has another template for it."""
    holders = select(structure_filename_templates.c.structure_id).where(
        structure_filename_templates.c.filename_template_id == template.id
    )
    statement = (
        select(Structure.name, FilenameTemplate.name)
        .join(
            structure_filename_templates,
            structure_filename_templates.c.structure_id == Structure.id,
        )
        .join(
            FilenameTemplate,
            FilenameTemplate.id == structure_filename_templates.c.filename_template_id,
        )
        .where(Structure.id.in_(holders), FilenameTemplate.target_entity_type == target)
    )
    if exclude_id is not None:
        statement = statement.where(FilenameTemplate.id != exclude_id)
    clash = dbsession.execute(statement.limit(1)).first()
    if clash is not None:
        raise ValidationError(
            f"The structure {clash[0]} already has a template for {target}: {clash[1]}.",
            "target_entity_type",
        )


def _set_template_values(
    template: FilenameTemplate,
    *,
    name: str | None,
    path: str | None,
    filename: str | None,
    description: str | None,
) -> None:
    """Check the name and both Jinja2 sources (``checked_sources``), then set them (nothing is
    set on a refusal)."""
    name = checked_name(name)
    template.path, template.filename = checked_sources(path, filename)
    template.name = name
    template.description = (description or "").strip()


def checked_sources(path: str | None, filename: str | None) -> tuple[str, str]:
    """A filename template's path and file name sources, refused as saving refuses them (the
    syntax error and its line, or the variable not offered, under the field): what the preview
    says too."""
    probe = FilenameTemplate()
    with model_rules():
        probe.path = path or ""
        probe.filename = filename or ""
    _check_variables(probe.path, FILENAME_VARIABLES, "path", "The path")
    _check_variables(probe.filename, FILENAME_VARIABLES, "filename", "The file name")
    return probe.path, probe.filename


def add_template(
    dbsession: Session, structure: Structure, *, target_entity_type: str | None, **values
) -> FilenameTemplate:
    """Add a filename template (``name``, ``path``, ``filename``, ``description``) for one kind
    of task; a structure holds one template per kind."""
    target = _checked_target(target_entity_type)
    template = FilenameTemplate(target_entity_type=target)
    _set_template_values(template, **values)
    try:
        structure.templates.append(template)
    except InvalidValue as error:  # the model's one-template-per-target rule
        raise ValidationError(error.message, "target_entity_type") from error
    dbsession.flush()
    return template


def update_template(
    dbsession: Session,
    template: FilenameTemplate,
    *,
    submitted_version: int | None,
    target_entity_type: str | None,
    **values,
) -> FilenameTemplate:
    """Edit a template loaded at ``submitted_version``; a new target must still be the only
    template for that kind in every structure holding it."""
    check_version(template, submitted_version, "This filename template")
    target = _checked_target(target_entity_type)
    if target != template.target_entity_type:
        _check_one_per_target(dbsession, template, target, template.id)
    _set_template_values(template, **values)
    template.target_entity_type = target
    dbsession.flush()
    return template


def remove_template(dbsession: Session, structure: Structure, template: FilenameTemplate) -> None:
    """Take ``template`` out of ``structure``; it is deleted unless another structure holds it."""
    still_held = dbsession.scalar(
        select(func.count()).where(
            structure_filename_templates.c.filename_template_id == template.id,
            structure_filename_templates.c.structure_id != structure.id,
        )
    )
    structure.templates.remove(template)
    if not still_held:
        dbsession.delete(template)
    dbsession.flush()


def template_targets() -> tuple[str, ...]:
    """The kinds of task a filename template can be for."""
    return TEMPLATE_TARGETS
