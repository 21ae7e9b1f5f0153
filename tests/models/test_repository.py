"""Repository: roots per system, path conversions and the $REPO<code> convention."""

import os

import pytest

from stalker_web.models import Repository
from stalker_web.models.meta import InvalidValue
from stalker_web.models.repository import find_repo, to_os_independent_path


def repository(code="PRJ", **roots) -> Repository:
    roots.setdefault("linux_path", "/mnt/Projects")
    roots.setdefault("windows_path", "P:\\Projects\\")
    roots.setdefault("macos_path", "/Volumes/Projects/")
    return Repository(name=f"Repository {code}", code=code, **roots)


@pytest.fixture
def repo():
    return repository()


@pytest.fixture
def on_system(monkeypatch):
    def switch(system: str) -> None:
        monkeypatch.setattr("platform.system", lambda: system)

    return switch


def test_roots_get_forward_slashes_and_one_trailing_slash(repo):
    assert repo.linux_path == "/mnt/Projects/"
    assert repo.windows_path == "P:/Projects/"
    assert repo.macos_path == "/Volumes/Projects/"


def test_the_environment_variable_is_repo_and_the_code(repo):
    assert repo.env_var == "REPOPRJ"


def test_a_code_that_cannot_name_a_variable_is_refused():
    with pytest.raises(InvalidValue, match="letters, digits and _") as error:
        repository(code="MY-PRJ")
    assert error.value.field == "code"


def test_a_blank_code_is_refused():
    with pytest.raises(InvalidValue, match="A code is required"):
        repository(code="  ")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("P:/Projects/film/shot.ma", "/mnt/Projects/film/shot.ma"),
        ("P:\\Projects\\film\\shot.ma", "/mnt/Projects/film/shot.ma"),
        ("/Volumes/Projects/film/shot.ma", "/mnt/Projects/film/shot.ma"),
        ("/mnt/Projects/film/shot.ma", "/mnt/Projects/film/shot.ma"),
        ("$REPOPRJ/film/shot.ma", "/mnt/Projects/film/shot.ma"),
        ("${REPOPRJ}/film/shot.ma", "/mnt/Projects/film/shot.ma"),
        ("%REPOPRJ%\\film\\shot.ma", "/mnt/Projects/film/shot.ma"),
        ("P:/Projects", "/mnt/Projects/"),
    ],
)
def test_to_linux_path(repo, path, expected):
    assert repo.to_linux_path(path) == expected


def test_to_windows_path(repo):
    assert repo.to_windows_path("/mnt/Projects/film/shot.ma") == "P:/Projects/film/shot.ma"
    assert repo.to_windows_path("$REPOPRJ/film") == "P:/Projects/film"


def test_to_macos_path(repo):
    assert repo.to_macos_path("P:/Projects/film/shot.ma") == "/Volumes/Projects/film/shot.ma"


def test_windows_roots_match_without_case_and_keep_the_relative_case(repo):
    assert repo.to_linux_path("p:/PROJECTS/Film/Shot.ma") == "/mnt/Projects/Film/Shot.ma"


def test_linux_and_macos_roots_match_with_case(repo):
    assert not repo.is_in_repo("/mnt/projects/film")
    assert repo.to_windows_path("/mnt/projects/film") == "/mnt/projects/film"


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        ("Linux", "/mnt/Projects/a.ma"),
        ("Windows", "P:/Projects/a.ma"),
        ("Darwin", "/Volumes/Projects/a.ma"),
    ],
)
def test_native_paths_follow_the_system_this_process_runs_on(repo, on_system, system, expected):
    on_system(system)
    assert repo.to_native_path("$REPOPRJ/a.ma") == expected
    assert repo.path == expected.removesuffix("a.ma")


def test_another_repositorys_variable_is_not_this_one(repo):
    assert not repo.is_in_repo("$REPOPRJ2/film")
    assert not repo.is_in_repo("$REPOOTHER/film")


def test_a_path_outside_the_repository_comes_back_unchanged(repo):
    assert repo.to_linux_path("C:\\temp\\shot.ma") == "C:/temp/shot.ma"
    assert repo.make_relative("/home/me/shot.ma") == "/home/me/shot.ma"


def test_a_root_prefix_is_not_enough_to_be_inside(repo):
    assert not repo.is_in_repo("/mnt/ProjectsOld/film")


def test_climbing_out_of_the_root_is_not_inside(repo):
    assert not repo.is_in_repo("/mnt/Projects/film/../../etc/passwd")
    assert repo.make_relative("/mnt/Projects/film/../edit/cut.edl") == "edit/cut.edl"


def test_is_in_repo(repo):
    assert repo.is_in_repo("P:/Projects/film")
    assert repo.is_in_repo("/Volumes/Projects/film")
    assert repo.is_in_repo("$REPOPRJ/film")
    assert not repo.is_in_repo("Q:/Projects/film")


def test_make_relative(repo):
    assert repo.make_relative("P:\\Projects\\film\\shot.ma") == "film/shot.ma"
    assert repo.make_relative("$REPOPRJ/film/shot.ma") == "film/shot.ma"
    assert repo.make_relative("/mnt/Projects/") == ""


def test_nothing_is_written_to_the_environment(repo, monkeypatch):
    monkeypatch.delenv("REPOPRJ", raising=False)
    repo.to_native_path("$REPOPRJ/a.ma")
    assert "REPOPRJ" not in os.environ


def test_converting_to_a_system_without_a_root_is_refused():
    repo = repository(macos_path="")
    with pytest.raises(InvalidValue, match="has no macOS root") as error:
        repo.to_macos_path("/mnt/Projects/a.ma")
    assert error.value.field == "macos_path"


def test_the_os_independent_path_uses_the_variable(repo):
    assert repo.to_os_independent_path("P:/Projects/film/a.ma") == "$REPOPRJ/film/a.ma"
    assert repo.to_os_independent_path("/mnt/Projects") == "$REPOPRJ"


def test_find_repo_among_a_list_prefers_the_longest_root():
    outer = repository("ALL", linux_path="/mnt/", windows_path="M:/", macos_path="/Volumes/")
    inner = repository("FILM")
    assert find_repo([outer, inner], "/mnt/Projects/a.ma") is inner
    assert find_repo([outer, inner], "/mnt/Other/a.ma") is outer
    assert find_repo([outer, inner], "/elsewhere/a.ma") is None


def test_to_os_independent_path_among_a_list():
    repos = [repository("ALL", linux_path="/mnt/", windows_path="M:/", macos_path="/Volumes/")]
    assert to_os_independent_path(repos, "M:\\Other\\a.ma") == "$REPOALL/Other/a.ma"
    assert to_os_independent_path(repos, "/elsewhere/a.ma") == "/elsewhere/a.ma"


def test_find_repo_in_the_database(factory, dbsession):
    stored = factory.repository(code="DBREPO", linux_path="/srv/dbrepo")
    assert find_repo(dbsession, "/srv/dbrepo/film/a.ma") is stored
    assert to_os_independent_path(dbsession, "/srv/dbrepo/film/a.ma") == "$REPODBREPO/film/a.ma"
    assert find_repo(dbsession, "$REPODBREPO/film") is stored
