"""File paths: the project's filename template rendered for a version, per OS, and refusals."""

import dataclasses
import io

import pytest
from jinja2.exceptions import SecurityError, UndefinedError
from sqlalchemy import select, update

from stalker_web.models import File, FilenameTemplate
from stalker_web.models.user import group_users
from stalker_web.services.errors import ValidationError
from stalker_web.services.versions.file_paths import (
    checked_extension,
    filename_values,
    naming_parents,
    nice_name,
    version_file_path,
)
from stalker_web.services.versions.template_values import (
    FILENAME_VARIABLES,
    render_template,
    template_problem,
)
from stalker_web.services.versions.uploads import UploadRules, store_upload
from stalker_web.services.versions.versions import create_version

RULES = UploadRules(extensions=(".pdf",), max_bytes=10_000, thumbnail_pixels=64)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

STALKER_PATH = (
    "$REPO{{project.repository.code}}/{{project.code}}/"
    "{%- for parent_task in parent_tasks -%}{{parent_task.nice_name}}/{%- endfor -%}"
)
STALKER_FILENAME = (
    '{{version.nice_name}}_r{{"%02d"|format(version.revision_number)}}'
    '_v{{"%03d"|format(version.version_number)}}'
)


@pytest.fixture
def repository(factory):
    return factory.repository(
        code="TP",
        linux_path="/mnt/tp",
        windows_path="T:\\projects",
        macos_path="/Volumes/tp",
    )


def set_up(factory, repository, target="Variant", path=STALKER_PATH, filename=STALKER_FILENAME):
    """A project TP with ``repository`` and a structure whose template for ``target`` is given."""
    template = factory.filename_template(target, path=path, filename=filename)
    project = factory.project(code="TP", structure=factory.structure(templates=[template]))
    project.repositories.append(repository)
    return project


def test_stalkers_example_renders_as_documented(dbsession, factory, repository):
    project = set_up(factory, repository)
    shot = factory.task("Shot", project=project, name="SH001", code="SH001")
    fx = factory.task(parent=shot, name="FX")
    main = factory.task("Variant", parent=fx, name="Main")
    create_version(dbsession, main)
    version = create_version(dbsession, main)
    rendered = version_file_path(dbsession, version, "ma")
    assert rendered.relative_path == "TP/SH001/FX/Main/SH001_FX_Main_r01_v002.ma"
    assert rendered.full_path == "$REPOTP/TP/SH001/FX/Main/SH001_FX_Main_r01_v002.ma"
    assert rendered.paths() == {
        "linux": "/mnt/tp/TP/SH001/FX/Main/SH001_FX_Main_r01_v002.ma",
        "windows": "T:/projects/TP/SH001/FX/Main/SH001_FX_Main_r01_v002.ma",
        "macos": "/Volumes/tp/TP/SH001/FX/Main/SH001_FX_Main_r01_v002.ma",
    }
    assert (rendered.folder, rendered.filename) == (
        "TP/SH001/FX/Main",
        "SH001_FX_Main_r01_v002.ma",
    )


def test_templates_see_the_nearest_shot_and_the_extension(dbsession, factory, repository):
    project = set_up(
        factory,
        repository,
        target="Task",
        path="/mnt/tp/{{ shot.code }}/{{ task.nice_name }}",
        filename="{{ shot.code }}_{{ task.nice_name }}_v{{ version.version_number }}{{extension}}",
    )
    shot = factory.task("Shot", project=project, name="SH010", code="SH010")
    comp = factory.task(parent=shot, name="Final comp")
    version = create_version(dbsession, comp)
    rendered = version_file_path(dbsession, version, ".EXR")
    assert rendered.relative_path == "SH010/Final_comp/SH010_Final_comp_v1.EXR"


def test_a_template_needs_exactly_the_tasks_kind(dbsession, factory, repository):
    project = set_up(factory, repository, target="Shot")
    version = create_version(dbsession, factory.task(project=project))
    with pytest.raises(ValidationError, match="no filename template for Task tasks"):
        version_file_path(dbsession, version, ".ma")


def test_a_project_without_structure_or_repository_is_refused(dbsession, factory, repository):
    bare = factory.project(name="Bare")
    version = create_version(dbsession, factory.task(project=bare))
    with pytest.raises(ValidationError, match="Project Bare has no structure"):
        version_file_path(dbsession, version, ".ma")
    bare.structure = factory.structure(templates=[factory.filename_template("Task")])
    with pytest.raises(ValidationError, match="Project Bare has no repository"):
        version_file_path(dbsession, version, ".ma")
    bare.repositories.append(repository)
    assert version_file_path(dbsession, version, ".ma").relative_path.endswith("_v001.ma")


@pytest.mark.parametrize(
    ("path", "filename", "message"),
    [
        ("{{ nothing.here }}", "x", "uses nothing, which is not a template variable; use one"),
        ("a", "{{ task.__class__ }}", "uses task.__class__, which is not a template variable"),
        ("{{ shot.code }}", "x", "could not be rendered: 'None' has no attribute 'code'"),
        ("{% set names = [] %}{{ names.append(1) }}", "x", "could not be rendered: access to"),
        ("/srv/elsewhere", "x", "not inside repository"),
        ("a/../..", "x", "must stay inside its repository root"),
        ("a", "", "must be one file name"),
        ("a", "b/c", "must be one file name"),
    ],
)
def test_bad_renderings_are_refused(dbsession, factory, repository, path, filename, message):
    project = set_up(factory, repository, target="Task", path=path, filename=filename)
    version = create_version(dbsession, factory.task(project=project))
    with pytest.raises(ValidationError, match=message):
        version_file_path(dbsession, version, ".ma")


def test_a_stored_template_that_does_not_parse_is_refused(dbsession, factory, repository):
    project = set_up(factory, repository, target="Task")
    template = project.structure.templates[0]
    dbsession.execute(
        update(FilenameTemplate)
        .where(FilenameTemplate.id == template.id)
        .values(path="{{ project.code")
    )
    dbsession.expire_all()
    version = create_version(dbsession, factory.task(project=project))
    with pytest.raises(ValidationError, match="The path of .* could not be rendered: unexpected"):
        version_file_path(dbsession, version, ".ma")


def test_extensions_and_nice_names():
    assert checked_extension("exr") == ".exr"
    with pytest.raises(ValidationError):
        checked_extension("../x")
    assert nice_name("  -Hero's  shot-01 ") == "Heros_shot_01"


def test_naming_parents_start_at_the_nearest_asset_shot_or_sequence(factory):
    sequence = factory.task("Sequence")
    shot = factory.task("Shot", parent=sequence)
    fx = factory.task(parent=shot)
    assert naming_parents([sequence, shot, fx]) == [shot, fx]
    folder = factory.task()
    leaf = factory.task(parent=folder)
    assert naming_parents([folder, leaf]) == [folder, leaf]


# Templates see plain frozen values, never the database's objects

ESCALATION = (
    "{% if version.task.resources[0].groups.append(version.created_by.groups[0]) %}{% endif %}"
)


def shot_chain(factory, repository):
    """Sequence SQ01 > Scene SC01 > Shot SH010 > "Final comp" (a Compositing task) of project
    Big Film (BF) in repository FS: the values the catalogue's examples are written for."""
    project = factory.project(name="Big Film", code="BF", structure=factory.structure(templates=[]))
    project.repositories.append(repository)
    sequence = factory.task("Sequence", project=project, name="SQ01", code="SQ01")
    scene = factory.task("Scene", parent=sequence, name="SC01", code="SC01")
    shot = factory.task("Shot", parent=scene, name="SH010", code="SH010")
    comp = factory.task(
        parent=shot, name="Final comp", type=factory.task_type("Task", "Compositing")
    )
    return [sequence, scene, shot, comp]


@pytest.fixture
def fs_repository(factory):
    return factory.repository(code="FS", linux_path="/mnt/fs")


def sample_values(dbsession, factory, repository) -> dict:
    chain = shot_chain(factory, repository)
    for _ in range(3):
        version = create_version(dbsession, chain[-1])
    return filename_values(chain, version, ".exr")


def asset_values(dbsession, factory, repository) -> dict:
    project = factory.project(code="AP")
    project.repositories.append(repository)
    hero = factory.task("Asset", project=project, name="Hero", code="HERO")
    rig = factory.task(parent=hero, name="Rig")
    return filename_values([hero, rig], create_version(dbsession, rig), ".ma")


def assert_plain(value, where: str) -> None:
    """``value`` is text, a number, None, a tuple of plain values or a frozen dataclass of them."""
    if value is None or isinstance(value, str | int | float | bool):
        return
    if isinstance(value, tuple):
        for index, item in enumerate(value):
            assert_plain(item, f"{where}[{index}]")
        return
    assert dataclasses.is_dataclass(value), f"{where} is a {type(value).__name__}"
    assert type(value).__dataclass_params__.frozen, f"{where} can be changed"
    for item in dataclasses.fields(value):
        assert_plain(getattr(value, item.name), f"{where}.{item.name}")


def test_templates_see_plain_frozen_values_only(dbsession, factory, fs_repository):
    values = sample_values(dbsession, factory, fs_repository)
    assert set(values) == {variable.name for variable in FILENAME_VARIABLES}
    for name, value in values.items():
        assert_plain(value, name)


@pytest.mark.parametrize("variable", FILENAME_VARIABLES, ids=lambda variable: variable.name)
def test_every_documented_variable_renders_its_example(dbsession, factory, fs_repository, variable):
    if variable.name == "asset":
        values = asset_values(dbsession, factory, fs_repository)
    else:
        values = sample_values(dbsession, factory, fs_repository)
    assert template_problem(variable.example, FILENAME_VARIABLES) is None
    assert render_template(variable.example, values) == variable.result


def test_every_offered_attribute_renders(dbsession, factory, fs_repository):
    values = sample_values(dbsession, factory, fs_repository) | {
        "asset": asset_values(dbsession, factory, fs_repository)["asset"]
    }
    for variable in FILENAME_VARIABLES:
        value = values[variable.name]
        reach = f"{variable.name}[0]" if variable.many else variable.name
        item = value[0] if variable.many else value
        for attribute in variable.attributes():
            source = f"{{{{ {reach}.{attribute} }}}}"
            assert template_problem(source, FILENAME_VARIABLES) is None, source
            assert render_template(source, values) == str(getattr(item, attribute)), source
    assert render_template("{{ project.repository.code }}", values) == "FS"
    assert render_template("{{ task.type }} {{ task.entity_type }}", values) == "Compositing Task"
    assert render_template("{{ task }}/{{ version }}", values) == "Final_comp/SH010_Final_comp"


def test_a_tuple_or_list_cannot_be_changed_by_a_template(dbsession, factory, fs_repository):
    values = sample_values(dbsession, factory, fs_repository)
    with pytest.raises(SecurityError):
        render_template("{% set names = [] %}{{ names.append(task.name) }}", values)
    with pytest.raises(UndefinedError):
        render_template("{{ parent_tasks.append(task) }}", values)


def upload_with(dbsession, factory, tmp_path, path, filename):
    """A version of "Comp" (whose resource is an artist) created by an admin, in a project
    whose Task template is stored as given, without the save-time check."""
    root = tmp_path / "repository"
    root.mkdir()
    artist, admin = factory.user(), factory.admin()
    template = factory.filename_template("Task", path=path, filename=filename)
    project = factory.project(code="UP", structure=factory.structure(templates=[template]))
    project.repositories.append(factory.repository(linux_path=str(root)))
    task = factory.task(project=project, name="Comp", resources=[artist])
    version = create_version(dbsession, task)
    version.created_by = admin
    dbsession.flush()
    return version, artist, admin, root


def memberships(dbsession) -> set[tuple[int, int]]:
    return set(dbsession.execute(select(group_users.c.user_id, group_users.c.group_id)).all())


@pytest.mark.parametrize(
    ("path", "filename", "named"),
    [
        (ESCALATION + "{{ project.code }}", "{{ task.nice_name }}", "version.task"),
        ("{{ project.code }}/{{ version.created_by.password_hash }}", "x", "version.created_by"),
        ("{{ project.code }}", "{{ version.created_by.password_hash }}", "version.created_by"),
    ],
)
def test_a_stored_template_reaching_for_users_is_refused_at_upload(
    dbsession, factory, tmp_path, path, filename, named
):
    version, artist, admin, root = upload_with(dbsession, factory, tmp_path, path, filename)
    before = memberships(dbsession)
    with pytest.raises(ValidationError, match=f"uses {named}, which is not a template variable"):
        store_upload(dbsession, version, filename="notes.pdf", stream=io.BytesIO(PDF), rules=RULES)
    dbsession.flush()
    assert memberships(dbsession) == before
    dbsession.expire_all()
    assert [group.name for group in artist.groups] == []
    digest = admin.password_hash.rsplit("$", 1)[-1]
    stored = list(dbsession.scalars(select(File.relative_path))) + [
        str(found) for found in root.rglob("*")
    ]
    assert not [path for path in stored if digest in path]


@pytest.mark.parametrize(
    ("filename", "refusal"),
    [
        ("{% for x in range(10**9) %}x{% endfor %}", "range counts more than 1000 numbers"),
        (
            "{% set ns = namespace(s='ab') %}{% for i in range(30) %}{% set ns.s = ns.s ~ ns.s %}"
            "{% endfor %}{{ ns.s }}",
            "it builds something longer than 4096 characters",
        ),
        (
            "{% for a in range(1000) %}{% for b in range(1000) %}{{ task.name }}{% endfor %}"
            "{% endfor %}",
            "it gives more than 4096 characters",
        ),
        ("{{ task.name|replace('', 'x' * 4000) }}", "longer than 4096 characters"),
    ],
)
def test_a_stored_template_that_would_run_away_is_refused_in_words(
    dbsession, factory, repository, filename, refusal
):
    project = set_up(factory, repository, target="Task")
    project.structure.templates[0].filename = filename
    version = create_version(dbsession, factory.task(project=project))
    with pytest.raises(ValidationError, match="could not be rendered") as error:
        version_file_path(dbsession, version, ".ma")
    assert refusal in error.value.message
