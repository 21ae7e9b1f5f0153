"""The repositories service: model rules as errors, unique codes and roots, guarded deletion."""

import pytest
from sqlalchemy import select

from stalker_web.models import Repository
from stalker_web.services.errors import ConflictError, ValidationError
from stalker_web.services.projects import repositories

GOOD = {
    "name": "Main share",
    "code": "MAIN",
    "linux_path": "/mnt/main",
    "windows_path": "T:\\main",
    "macos_path": "/Volumes/main/",
    "description": " The big one ",
}


def refused(dbsession, **changes) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        repositories.create_repository(dbsession, **(GOOD | changes))
    return error.value


def test_create_repository_normalises_roots(dbsession):
    repository = repositories.create_repository(dbsession, **GOOD)
    dbsession.expire_all()
    repository = dbsession.get(Repository, repository.id)
    assert (repository.name, repository.code, repository.description) == (
        "Main share",
        "MAIN",
        "The big one",
    )
    assert repository.linux_path == "/mnt/main/"
    assert repository.windows_path == "T:/main/"
    assert repository.macos_path == "/Volumes/main/"
    assert repository.env_var == "REPOMAIN"


def test_one_root_is_enough(dbsession):
    repository = repositories.create_repository(
        dbsession, **(GOOD | {"windows_path": "", "macos_path": None})
    )
    assert (repository.windows_path, repository.macos_path) == ("", "")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "A name is required."),
        ({"code": " "}, "code", "A code is required."),
        ({"code": "MA IN"}, "code", "may only hold letters, digits and _"),
        ({"code": "X" * 257}, "code", "Use at most 256 characters."),
        (
            {"linux_path": "", "windows_path": " ", "macos_path": ""},
            "linux_path",
            "Give the root of the repository on at least one system.",
        ),
        ({"linux_path": "mnt/main"}, "linux_path", "A Linux root is an absolute path"),
        ({"macos_path": "Volumes/main"}, "macos_path", "A macOS root is an absolute path"),
        ({"windows_path": "main"}, "windows_path", "A Windows root starts with a drive"),
        ({"linux_path": "/" + "x" * 300}, "linux_path", "Use at most 256 characters."),
    ],
)
def test_create_repository_refuses_bad_values(dbsession, changes, field, message):
    error = refused(dbsession, **changes)
    assert error.field == field
    assert message in error.message
    assert dbsession.scalars(select(Repository).where(Repository.code == "MAIN")).first() is None


def test_a_code_taken_in_another_case_is_refused(dbsession, factory):
    factory.repository(code="Main")
    error = refused(dbsession, code="MAIN")
    assert (error.field, error.message) == (
        "code",
        "Another repository already has the code 'MAIN'.",
    )


def test_a_root_of_another_repository_is_refused(dbsession, factory):
    factory.repository(name="Old share", windows_path="T:/Main")
    error = refused(dbsession)
    assert error.field == "windows_path"
    assert error.message == "The repository Old share already has this Windows root."


def test_linux_roots_differing_in_case_are_different_roots(dbsession, factory):
    factory.repository(linux_path="/mnt/MAIN")
    assert repositories.create_repository(dbsession, **GOOD).linux_path == "/mnt/main/"


def test_update_repository_keeps_its_own_code_and_roots(dbsession, factory):
    repository = factory.repository(code="MAIN", linux_path="/mnt/main")
    repositories.update_repository(
        dbsession,
        repository,
        submitted_version=repository.version_id,
        **(GOOD | {"code": "main", "name": "Renamed"}),
    )
    assert (repository.code, repository.name) == ("main", "Renamed")


def test_update_repository_refuses_a_stale_version(dbsession, factory):
    repository = factory.repository(name="Kept")
    with pytest.raises(ConflictError):
        repositories.update_repository(
            dbsession, repository, submitted_version=repository.version_id - 1, **GOOD
        )
    assert repository.name == "Kept"


def test_a_refused_update_changes_nothing(dbsession, factory):
    repository = factory.repository(name="Kept", code="KEPT", linux_path="/mnt/kept")
    with pytest.raises(ValidationError):
        repositories.update_repository(
            dbsession,
            repository,
            submitted_version=repository.version_id,
            **(GOOD | {"macos_path": "relative"}),
        )
    assert (repository.name, repository.code, repository.linux_path) == (
        "Kept",
        "KEPT",
        "/mnt/kept/",
    )


def test_the_page_lists_the_projects_using_each_repository(dbsession, factory):
    used, unused = factory.repository(name="A used"), factory.repository(name="B unused")
    for name in ("Zed", "Alpha"):
        factory.project(name=name).repositories.append(used)
    dbsession.flush()
    page = repositories.repository_page(dbsession, 1)
    found = {item.repository.id: [p.name for p in item.projects] for item in page.items}
    assert found[used.id] == ["Alpha", "Zed"]
    assert found[unused.id] == []


def test_delete_an_unused_repository(dbsession, factory):
    repository = factory.repository()
    repositories.delete_repository(dbsession, repository)
    assert dbsession.get(Repository, repository.id) is None


def test_delete_is_refused_while_projects_use_it(dbsession, factory):
    repository = factory.repository(name="Share")
    factory.project(name="Film").repositories.append(repository)
    factory.project(name="Ad").repositories.append(repository)
    dbsession.flush()
    with pytest.raises(ValidationError) as error:
        repositories.delete_repository(dbsession, repository)
    assert error.value.message == (
        "Share is used by the projects Ad, Film; remove it from their settings first."
    )
    assert dbsession.get(Repository, repository.id) is not None
