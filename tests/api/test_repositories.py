"""A project's repositories and its files found by a path, through the API."""

import pytest

from stalker_web.models import ProjectUser

from .test_framework import error_of


@pytest.fixture
def filed(factory):
    """A project with a repository and two versions of a task with a file each, a member."""
    member = factory.user()
    repository = factory.repository(
        code="PRJ", linux_path="/mnt/prj", windows_path="P:/", macos_path="/Volumes/prj"
    )
    project = factory.project(name="Filed")
    project.repositories.append(repository)
    project.members.append(ProjectUser(user=member))
    task = factory.task(project=project, name="Layout")
    versions = [factory.version(task, repository=repository) for _ in range(2)]
    return project, repository, versions, member


def test_a_member_reads_the_roots_of_the_projects_repositories(api_as, filed):
    project, repository, _versions, member = filed
    body = api_as(member).get(f"/api/v1/projects/{project.id}/repositories").json
    assert body["data"] == [
        {
            "id": repository.id,
            "name": repository.name,
            "code": "PRJ",
            "env_var": "REPOPRJ",
            "roots": {"linux": "/mnt/prj/", "windows": "P:/", "macos": "/Volumes/prj/"},
        }
    ]


def test_a_file_on_any_system_finds_its_version(api_as, filed):
    project, repository, versions, member = filed
    client = api_as(member)
    stored = versions[1].files[0]
    for path in (
        f"/mnt/prj/{stored.relative_path}",
        f"P:\\{stored.relative_path.replace('/', chr(92))}",
        f"/Volumes/prj/{stored.relative_path}",
        f"$REPOPRJ/{stored.relative_path}",
    ):
        found = client.get(f"/api/v1/projects/{project.id}/files", path=path).json["data"]
        assert [(f["id"], f["version_id"]) for f in found] == [(stored.id, versions[1].id)], path
        assert found[0]["paths"]["windows"] == f"P:/{stored.relative_path}"
        assert found[0]["os_independent_path"] == f"$REPOPRJ/{stored.relative_path}"


def test_a_folder_lists_every_file_below_it_in_pages(api_as, filed):
    project, _repository, versions, member = filed
    client = api_as(member)
    first = client.get(f"/api/v1/projects/{project.id}/files", under="/mnt/prj/renders", limit=1)
    assert [f["version_id"] for f in first.json["data"]] == [versions[0].id]
    rest = client.get(
        f"/api/v1/projects/{project.id}/files",
        under="/mnt/prj/renders",
        cursor=first.json["next_cursor"],
    ).json
    assert [f["version_id"] for f in rest["data"]] == [versions[1].id]
    assert rest["next_cursor"] is None
    other = client.get(f"/api/v1/projects/{project.id}/files", under="/mnt/prj/comp").json
    assert other["data"] == []


def test_a_path_outside_the_repositories_or_a_bad_query_is_refused(api_as, filed):
    project, _repository, _versions, member = filed
    client = api_as(member)
    url = f"/api/v1/projects/{project.id}/files"
    error = error_of(client.get(url, path="/home/ann/scene.ma", status=422))
    assert "none of the repositories of Filed (PRJ)" in error["message"]
    assert "path" in error["fields"]
    assert error_of(client.get(url, status=400))["code"] == "invalid_parameter"
    assert error_of(client.get(url, path="/mnt/prj/a", under="/mnt/prj", status=400))
    assert error_of(client.get(url, path="x" * 1025, status=422))["fields"]["path"]


def test_a_percent_in_a_folder_matches_only_itself(api_as, filed, factory):
    project, repository, _versions, member = filed
    assert (
        api_as(member)
        .get(f"/api/v1/projects/{project.id}/files", under="/mnt/prj/re%")
        .json["data"]
        == []
    )


def test_outsiders_see_nothing(api_as, filed, factory):
    project, *_ = filed
    outsider = api_as(factory.user())
    outsider.get(f"/api/v1/projects/{project.id}/repositories", status=404)
    outsider.get(f"/api/v1/projects/{project.id}/files", path="/mnt/prj/x", status=404)
