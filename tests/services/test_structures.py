"""The structures service: unique names, template syntax, one template per target, deletion."""

import pytest
from sqlalchemy import func, select

from stalker_web.models import FilenameTemplate, Structure
from stalker_web.services import structures
from stalker_web.services.errors import ConflictError, ValidationError

TEMPLATE = {
    "name": "Shots",
    "target_entity_type": "Shot",
    "path": "{{project.code}}/Shots/{{task.name}}",
    "filename": "{{task.name}}_v{{'%03d' % version.version_number}}",
    "description": "",
}


def template_count(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(FilenameTemplate))


def test_create_structure(dbsession):
    structure = structures.create_structure(
        dbsession, name=" Feature ", description=" Films ", custom_template="{{project.code}}"
    )
    assert (structure.name, structure.description, structure.custom_template) == (
        "Feature",
        "Films",
        "{{project.code}}",
    )


def test_create_structure_refuses_a_name_taken_in_another_case(dbsession, factory):
    factory.structure(name="Feature")
    with pytest.raises(ValidationError) as error:
        structures.create_structure(dbsession, name="FEATURE", description="", custom_template="")
    assert (error.value.field, error.value.message) == (
        "name",
        "A structure named 'FEATURE' already exists.",
    )


def test_a_folder_template_that_does_not_parse_is_refused(dbsession):
    with pytest.raises(ValidationError) as error:
        structures.create_structure(
            dbsession, name="Broken", description="", custom_template="{{ project.code"
        )
    assert error.value.field == "custom_template"
    assert error.value.message.startswith("The folder template is not a valid template:")
    assert dbsession.scalars(select(Structure).where(Structure.name == "Broken")).first() is None


def test_update_structure_refuses_a_stale_version_and_bad_syntax(dbsession, factory):
    structure = factory.structure(name="Kept", custom_template="{{project.code}}")
    with pytest.raises(ConflictError):
        structures.update_structure(
            dbsession,
            structure,
            submitted_version=structure.version_id - 1,
            name="New",
            description="",
            custom_template="",
        )
    with pytest.raises(ValidationError):
        structures.update_structure(
            dbsession,
            structure,
            submitted_version=structure.version_id,
            name="New",
            description="",
            custom_template="{% for %}",
        )
    assert (structure.name, structure.custom_template) == ("Kept", "{{project.code}}")
    structures.update_structure(
        dbsession,
        structure,
        submitted_version=structure.version_id,
        name="New",
        description="d",
        custom_template="Assets",
    )
    assert (structure.name, structure.custom_template) == ("New", "Assets")


def test_add_template(dbsession, factory):
    structure = factory.structure()
    template = structures.add_template(dbsession, structure, **TEMPLATE)
    dbsession.expire_all()
    assert [(item.id, item.target_entity_type) for item in structure.templates] == [
        (template.id, "Shot")
    ]
    assert structures.template_of(structure, template.id) is template


def test_a_second_template_for_the_same_target_is_refused(dbsession, factory):
    structure = factory.structure(templates=[factory.filename_template("Shot", name="First")])
    before = template_count(dbsession)
    with pytest.raises(ValidationError) as error:
        structures.add_template(dbsession, structure, **TEMPLATE)
    assert error.value.field == "target_entity_type"
    assert error.value.message == "This structure already has a template for Shot: First."
    dbsession.flush()
    assert template_count(dbsession) == before


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"target_entity_type": "Project"}, "target_entity_type", "Choose what the template"),
        ({"target_entity_type": None}, "target_entity_type", "Choose what the template"),
        ({"name": " "}, "name", "A name is required."),
        ({"path": "{{ task.name"}, "path", "The path is not a valid template"),
        ({"filename": "{% if %}"}, "filename", "The file name is not a valid template"),
    ],
)
def test_add_template_refuses_bad_values(dbsession, factory, changes, field, message):
    structure = factory.structure()
    before = template_count(dbsession)
    with pytest.raises(ValidationError) as error:
        structures.add_template(dbsession, structure, **(TEMPLATE | changes))
    assert error.value.field == field
    assert message in error.value.message
    dbsession.flush()
    assert template_count(dbsession) == before
    assert structure.templates == []


def test_update_template_may_change_its_target_to_a_free_one(dbsession, factory):
    template = factory.filename_template("Shot")
    factory.structure(templates=[template, factory.filename_template("Asset")])
    structures.update_template(
        dbsession,
        template,
        submitted_version=template.version_id,
        **(TEMPLATE | {"target_entity_type": "Sequence", "name": "Seqs"}),
    )
    assert (template.target_entity_type, template.name) == ("Sequence", "Seqs")


def test_update_template_refuses_a_target_another_template_of_the_structure_has(dbsession, factory):
    template = factory.filename_template("Shot")
    factory.structure(
        name="Feature", templates=[template, factory.filename_template("Asset", name="Assets")]
    )
    with pytest.raises(ValidationError) as error:
        structures.update_template(
            dbsession,
            template,
            submitted_version=template.version_id,
            **(TEMPLATE | {"target_entity_type": "Asset"}),
        )
    assert error.value.field == "target_entity_type"
    assert error.value.message == "The structure Feature already has a template for Asset: Assets."
    assert template.target_entity_type == "Shot"


def test_update_template_refuses_a_stale_version(dbsession, factory):
    template = factory.filename_template("Shot", name="Kept")
    factory.structure(templates=[template])
    with pytest.raises(ConflictError):
        structures.update_template(
            dbsession, template, submitted_version=template.version_id - 1, **TEMPLATE
        )
    assert template.name == "Kept"


def test_remove_template_deletes_it(dbsession, factory):
    template = factory.filename_template("Shot")
    structure = factory.structure(templates=[template])
    structures.remove_template(dbsession, structure, template)
    assert structure.templates == []
    assert dbsession.get(FilenameTemplate, template.id) is None


def test_remove_a_shared_template_keeps_it_for_the_other_structure(dbsession, factory):
    template = factory.filename_template("Shot")
    structure, other = (
        factory.structure(templates=[template]),
        factory.structure(templates=[template]),
    )
    structures.remove_template(dbsession, structure, template)
    dbsession.expire_all()
    assert structure.templates == []
    assert other.templates == [template]


def test_the_page_lists_templates_and_projects_using_each_structure(dbsession, factory):
    structure = factory.structure(templates=[factory.filename_template("Shot")])
    factory.project(name="Film", structure=structure)
    page = structures.structure_page(dbsession, 1)
    [summary] = [item for item in page.items if item.structure.id == structure.id]
    assert [p.name for p in summary.projects] == ["Film"]
    assert [t.target_entity_type for t in summary.structure.templates] == ["Shot"]


def test_delete_structure_deletes_its_own_templates_only(dbsession, factory):
    own, shared = factory.filename_template("Shot"), factory.filename_template("Asset")
    structure = factory.structure(templates=[own, shared])
    other = factory.structure(templates=[shared])
    structures.delete_structure(dbsession, structure)
    dbsession.expire_all()
    assert dbsession.get(Structure, structure.id) is None
    assert dbsession.get(FilenameTemplate, own.id) is None
    assert other.templates == [shared]


def test_delete_structure_is_refused_while_a_project_uses_it(dbsession, factory):
    structure = factory.structure(name="Feature")
    factory.project(name="Film", structure=structure)
    with pytest.raises(ValidationError) as error:
        structures.delete_structure(dbsession, structure)
    assert error.value.message == (
        "Feature is used by the project Film; choose another structure in its settings first."
    )
    assert dbsession.get(Structure, structure.id) is not None
