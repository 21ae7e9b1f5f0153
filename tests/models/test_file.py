"""File: a version's output under a repository root, its paths per system and its rules."""

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from stalker_web.models import File, Version
from stalker_web.models.meta import InvalidValue


@pytest.fixture
def version(dbsession, make):
    version = Version(task=make(name="Comp"), version_number=1)
    dbsession.add(version)
    dbsession.flush()
    return version


@pytest.fixture
def repository(factory):
    return factory.repository(
        code="PRJ",
        linux_path="/mnt/prj",
        windows_path="P:\\",
        macos_path="",
    )


def add(dbsession, file):
    dbsession.add(file)
    dbsession.flush()
    return file


def test_a_file_has_its_path_on_every_system(dbsession, version, repository):
    file = add(
        dbsession,
        File(version=version, repository=repository, relative_path="shots\\SH010/comp_v001.exr"),
    )
    assert file.relative_path == "shots/SH010/comp_v001.exr"
    assert (file.name, file.original_filename, file.filename, file.extension) == (
        "comp_v001.exr",
        "comp_v001.exr",
        "comp_v001.exr",
        ".exr",
    )
    assert file.full_path == "$REPOPRJ/shots/SH010/comp_v001.exr"
    assert file.paths == {
        "linux": "/mnt/prj/shots/SH010/comp_v001.exr",
        "windows": "P:/shots/SH010/comp_v001.exr",
        "macos": "",
    }


@pytest.mark.parametrize("path", ["", "/etc/passwd", "../outside.exr", "a/../../b.exr", "."])
def test_a_path_must_stay_inside_the_repository(version, repository, path):
    with pytest.raises(InvalidValue) as error:
        File(version=version, repository=repository, relative_path=path)
    assert error.value.field == "relative_path"


def test_a_negative_size_is_refused(version, repository):
    with pytest.raises(InvalidValue, match="number of bytes"):
        File(version=version, repository=repository, relative_path="a.png", size=-1)


def test_two_files_cannot_claim_one_path(dbsession, version, repository):
    add(dbsession, File(version=version, repository=repository, relative_path="a/b.png"))
    with pytest.raises(IntegrityError), dbsession.begin_nested():
        add(dbsession, File(version=version, repository=repository, relative_path="a/b.png"))


def test_files_go_with_their_version(dbsession, version, repository):
    add(dbsession, File(version=version, repository=repository, relative_path="a/b.png"))
    dbsession.execute(delete(Version).where(Version.id == version.id))
    assert dbsession.scalar(select(func.count()).select_from(File)) == 0
