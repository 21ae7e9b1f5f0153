"""The structures service: unique names, template syntax, one template per target, deletion."""

import pytest
from sqlalchemy import func, select

from stalker_web.models import FilenameTemplate, Structure
from stalker_web.services.errors import ConflictError, ValidationError
from stalker_web.services.projects import structures

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


# Templates may only use the variables of the catalogue

ESCALATION = (
    "{% if version.task.resources[0].groups.append(version.created_by.groups[0]) %}{% endif %}"
)


@pytest.mark.parametrize(
    ("field", "source", "named"),
    [
        ("path", ESCALATION, "version.task"),
        ("filename", "{{ version.created_by.password_hash }}", "version.created_by"),
        ("path", "{{ user.name }}", "user"),
        ("path", "{{ lipsum() }}", "lipsum"),
        ("filename", "{{ task.resources }}", "task.resources"),
        ("filename", "{{ task['created_by'] }}", "task['created_by']"),
        ("path", "{% for t in parent_tasks %}{{ t.watchers }}{% endfor %}", "t.watchers"),
        ("path", "{{ (parent_tasks|first).children }}", "(parent_tasks|first).children"),
        ("filename", "{{ parent_tasks[0].project }}", "parent_tasks[0].project"),
        ("filename", "{{ parent_tasks.count }}", "parent_tasks.count"),
        ("path", "{{ project.repository.linux_path }}", "project.repository.linux_path"),
        ("path", "{{ type.name }}", "type.name"),
        ("path", "{{ task.__class__ }}", "task.__class__"),
        ("path", "{{ task.name.__class__ }}", "task.name.__class__"),
        ("path", "{{ parent_tasks|map(attribute='parent')|join }}", "parent_tasks[…].parent"),
        ("path", "{% set v = version %}{{ v.files }}", "v.files"),
    ],
)
def test_a_template_using_what_templates_cannot_see_is_refused_naming_it(
    dbsession, factory, field, source, named
):
    structure = factory.structure()
    with pytest.raises(ValidationError) as error:
        structures.add_template(dbsession, structure, **(TEMPLATE | {field: source}))
    assert error.value.field == field
    assert f"uses {named}, which is not a template variable" in error.value.message
    assert structure.templates == []


def test_the_refusal_lists_what_may_be_used_instead(dbsession, factory):
    with pytest.raises(ValidationError) as error:
        structures.add_template(
            dbsession,
            factory.structure(),
            **(TEMPLATE | {"filename": "{{ version.created_by.password_hash }}"}),
        )
    assert error.value.message == (
        "The file name uses version.created_by, which is not a template variable; use one of "
        "version.id, version.version_number, version.revision_number, version.nice_name, "
        "version.created_with."
    )
    with pytest.raises(ValidationError) as error:
        structures.add_template(
            dbsession, factory.structure(), **(TEMPLATE | {"path": "{{ user.name }}"})
        )
    assert error.value.message == (
        "The path uses user, which is not a template variable; use one of project, task, "
        "parent_tasks, version, asset, sequence, scene, shot, type, extension."
    )


def test_editing_a_template_checks_its_variables_too(dbsession, factory):
    template = factory.filename_template("Shot", name="Kept", path="{{ project.code }}")
    factory.structure(templates=[template])
    with pytest.raises(ValidationError) as error:
        structures.update_template(
            dbsession,
            template,
            submitted_version=template.version_id,
            **(TEMPLATE | {"path": ESCALATION}),
        )
    assert error.value.field == "path"
    assert "uses version.task, which is not a template variable" in error.value.message
    assert (template.name, template.path) == ("Kept", "{{ project.code }}")


@pytest.mark.parametrize(
    "source",
    [
        "$REPO{{project.repository.code}}/{{project.code}}/"
        "{%- for parent_task in parent_tasks -%}{{parent_task.nice_name}}/{%- endfor -%}",
        '{{version.nice_name}}_r{{"%02d"|format(version.revision_number)}}'
        '_v{{"%03d"|format(version.version_number)}}',
        "{% for t in parent_tasks %}{{ loop.index }}_{{ t.code or t.nice_name }}{% endfor %}",
        "{% set last = parent_tasks[-1] %}{{ last.nice_name|lower }}{{ task.name.upper() }}",
        "{{ parent_tasks|map(attribute='nice_name')|join('/') }}{{ shot.code if shot }}",
        "{% set ns = namespace(n=0) %}{% for i in range(2) %}{{ i }}{% endfor %}{{ type }}",
        "{{ asset.type }}/{{ sequence.id }}/{{ scene.entity_type }}{{ extension }}",
    ],
)
def test_templates_using_the_documented_variables_are_accepted(dbsession, factory, source):
    template = structures.add_template(
        dbsession, factory.structure(), **(TEMPLATE | {"path": source, "filename": source})
    )
    assert template.path == source


@pytest.mark.parametrize(
    ("source", "named"),
    [
        ("{{ task.name }}", "task"),
        ("{{ project.users }}", "project.users"),
        ("{% for user in project.users %}{{ user.password_hash }}{% endfor %}", "project.users"),
    ],
)
def test_the_folder_template_sees_the_project_only(dbsession, source, named):
    with pytest.raises(ValidationError) as error:
        structures.create_structure(
            dbsession, name="Folders", description="", custom_template=source
        )
    assert error.value.field == "custom_template"
    assert error.value.message.startswith(
        f"The folder template uses {named}, which is not a template variable; use one of "
    )
    structure = structures.create_structure(
        dbsession,
        name="Folders",
        description="",
        custom_template="{{ project.code }}/Assets\n{{ project.nice_name }}/Shots",
    )
    assert structure.custom_template.startswith("{{ project.code }}")
