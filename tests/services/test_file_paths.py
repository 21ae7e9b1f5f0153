"""File paths: the project's filename template rendered for a version, per OS, and refusals."""

import pytest

from stalker_web.services.errors import ValidationError
from stalker_web.services.file_paths import (
    checked_extension,
    naming_parents,
    nice_name,
    version_file_path,
)
from stalker_web.services.versions import create_version

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
        ("{{ nothing.here }}", "x", "could not be rendered: 'nothing' is undefined"),
        ("a", "{{ task.__class__ }}", "could not be rendered"),
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
