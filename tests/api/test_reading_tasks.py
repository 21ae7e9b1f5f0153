"""Reading the studio's tasks through the API: the list and its filters, one task, a project's
assets, sequences and shots, pages, sparse fields, what the caller may see and query counts."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import update

from stalker_web.models import Task
from stalker_web.models.meta import utcnow
from stalker_web.services.tasks.dependencies import add_dependency

from ..factories.projects import member
from ..factories.tasks import production


def ids(response) -> list[int]:
    return [item["id"] for item in response.json["data"]]


@pytest.fixture
def tree(factory):
    """A project "Tree" (code TRE): Sequence > Shot > (Layout, Animation waiting for Layout),
    an asset, and an artist on the project, resource of Animation."""
    project = factory.project(name="Tree", code="TRE")
    artist = factory.user(name="Tree Artist")
    member(project, artist)
    sequence = factory.task("Sequence", project=project, name="Sequence 1")
    shot = factory.task("Shot", parent=sequence, sequence=sequence, name="SH010", code="SH010")
    layout = factory.task(parent=shot, name="Layout")
    animation = factory.task(parent=shot, name="Animation", resources=[artist])
    add_dependency(factory.dbsession, animation, layout)
    asset = factory.task("Asset", project=project, name="Hero")
    return {
        "project": project,
        "artist": artist,
        "sequence": sequence,
        "shot": shot,
        "layout": layout,
        "animation": animation,
        "asset": asset,
    }


def test_a_task_item_names_its_path_status_people_and_schedule(api_as, tree):
    animation = tree["animation"]
    body = api_as(tree["artist"]).get(f"/api/v1/tasks/{animation.id}").json
    assert body["path"] == "TRE / Sequence 1 / SH010 / Animation"
    assert (body["entity_type"], body["parent_id"]) == ("Task", tree["shot"].id)
    assert body["project_id"] == tree["project"].id
    assert body["resource_ids"] == [tree["artist"].id]
    assert body["depends_on_ids"] == [tree["layout"].id]
    assert body["status"] == animation.status.code
    assert (body["schedule_unit"], body["schedule_model"]) == ("h", "effort")
    assert body["date_updated"] == animation.date_updated.isoformat()
    assert "version_id" not in body


def test_a_task_answers_with_its_lock_version_as_etag(api_as, tree):
    animation = tree["animation"]
    response = api_as(tree["artist"]).get(f"/api/v1/tasks/{animation.id}")
    assert response.headers["ETag"] == f'"{animation.version_id}"'


def test_a_task_of_a_project_the_caller_is_not_on_is_not_found(api_as, factory, tree):
    outsider = api_as(factory.user())
    response = outsider.get(f"/api/v1/tasks/{tree['animation'].id}", status=404)
    assert response.json["error"]["code"] == "not_found"
    outsider.get("/api/v1/tasks/999999999", status=404)


def test_the_list_holds_the_callers_projects_tasks_and_everything_for_admins(api_as, factory, tree):
    elsewhere = factory.task(name="Elsewhere")
    everything = ids(api_as(factory.admin()).get("/api/v1/tasks", limit=1000))
    assert elsewhere.id in everything and tree["animation"].id in everything
    mine = ids(api_as(tree["artist"]).get("/api/v1/tasks", limit=1000))
    assert sorted(mine) == sorted(task.id for key, task in tree.items() if key in TASK_KEYS)
    assert ids(api_as(factory.user()).get("/api/v1/tasks")) == []


TASK_KEYS = ("sequence", "shot", "layout", "animation", "asset")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"parent_id": "0"}, ("sequence", "asset")),
        ({"parent_id": "SHOT"}, ("layout", "animation")),
        ({"under": "SEQUENCE"}, ("shot", "layout", "animation")),
        ({"under": "SHOT"}, ("layout", "animation")),
        ({"resource_id": "ARTIST"}, ("animation",)),
        ({"entity_type": "Shot,Asset"}, ("shot", "asset")),
        ({"entity_type": ["Sequence", "Asset"]}, ("sequence", "asset")),
        ({"type_id": "ASSET_TYPE"}, ("asset",)),
        ({"parent_id": "SHOT", "resource_id": "ARTIST"}, ("animation",)),
    ],
)
def test_filters_narrow_the_list(api_as, factory, tree, params, expected):
    factory.task(name="Elsewhere")
    names = {
        "SHOT": tree["shot"].id,
        "SEQUENCE": tree["sequence"].id,
        "ARTIST": tree["artist"].id,
        "ASSET_TYPE": tree["asset"].type_id,
    }
    query = {
        key: [names.get(v, v) for v in value]
        if isinstance(value, list)
        else names.get(value, value)
        for key, value in params.items()
    }
    admin = api_as(factory.admin())
    found = ids(admin.get("/api/v1/tasks", project_id=tree["project"].id, limit=1000, **query))
    assert found == sorted(tree[key].id for key in expected)


def test_the_status_filter_takes_codes_repeated_or_separated_by_commas(api_as, factory, tree):
    admin = api_as(factory.admin())
    project_id = tree["project"].id
    codes = {tree[key].status.code for key in TASK_KEYS}
    url = f"/api/v1/tasks?project_id={project_id}"
    every = ids(admin.get(f"{url}&status={','.join(codes)}"))
    assert every == sorted(tree[key].id for key in TASK_KEYS)
    repeated = ids(admin.get(url + "".join(f"&status={code}" for code in codes)))
    assert repeated == every
    layout_status = tree["layout"].status.code
    chosen = ids(admin.get(f"{url}&status={layout_status.lower()}"))
    assert chosen == sorted(
        tree[key].id for key in TASK_KEYS if tree[key].status.code == layout_status
    )


def test_updated_since_lists_what_changed_at_or_after_the_moment(api_as, factory, dbsession, tree):
    long_ago = utcnow() - timedelta(days=30)
    dbsession.execute(
        update(Task).where(Task.project_id == tree["project"].id).values(date_updated=long_ago)
    )
    dbsession.execute(
        update(Task).where(Task.id == tree["layout"].id).values(date_updated=utcnow())
    )
    dbsession.expire_all()
    admin = api_as(factory.admin())
    since = (utcnow() - timedelta(days=1)).isoformat()
    project_id = tree["project"].id
    assert ids(admin.get("/api/v1/tasks", project_id=project_id, updated_since=since)) == [
        tree["layout"].id
    ]
    naive = (utcnow() - timedelta(days=60)).replace(tzinfo=None).isoformat()
    assert len(ids(admin.get("/api/v1/tasks", project_id=project_id, updated_since=naive))) == 5


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("project_id", "abc"),
        ("parent_id", "-1"),
        ("under", "1.5"),
        ("resource_id", "x"),
        ("type_id", "99999999999999"),
        ("status", "NOPE"),
        ("entity_type", "Spaceship"),
        ("updated_since", "yesterday"),
        ("limit", "0"),
        ("fields", "name,colour"),
    ],
)
def test_a_bad_filter_value_is_refused_naming_the_parameter(api, param, value):
    error = api.get(f"/api/v1/tasks?{urlencode({param: value})}", status=400).json["error"]
    assert error["code"] == "invalid_parameter" and param in error["fields"]


def test_an_unknown_task_under_lists_nothing(api_as, factory, tree):
    assert ids(api_as(factory.admin()).get("/api/v1/tasks", under=999999)) == []


def test_tasks_come_in_pages_with_sparse_fields(api_as, factory, tree):
    admin = api_as(factory.admin())
    project_id = tree["project"].id
    seen, cursor = [], None
    while True:
        params = {"project_id": project_id, "limit": 2, "fields": "path,status"}
        if cursor:
            params["cursor"] = cursor
        page = admin.get("/api/v1/tasks", **params)
        assert all(set(item) == {"id", "path", "status"} for item in page.json["data"])
        seen += ids(page)
        cursor = page.json["next_cursor"]
        if cursor is None:
            assert "Link" not in page.headers
            break
        assert 'rel="next"' in page.headers["Link"]
    assert seen == sorted(tree[key].id for key in TASK_KEYS)


def test_a_projects_breakdown_lists_one_kind_of_task(api_as, tree):
    artist = api_as(tree["artist"])
    base = f"/api/v1/projects/{tree['project'].id}"
    [shot] = artist.get(f"{base}/shots").json["data"]
    assert shot["id"] == tree["shot"].id
    assert (shot["cut_in"], shot["cut_out"]) == (tree["shot"].cut_in, tree["shot"].cut_out)
    assert shot["sequence_id"] == tree["sequence"].id
    assert shot["path"] == "TRE / Sequence 1 / SH010"
    [asset] = artist.get(f"{base}/assets").json["data"]
    assert (asset["id"], asset["type_id"]) == (tree["asset"].id, tree["asset"].type_id)
    assert ids(artist.get(f"{base}/sequences")) == [tree["sequence"].id]


def test_a_projects_breakdown_takes_the_task_filters(api_as, factory, tree):
    artist = api_as(tree["artist"])
    base = f"/api/v1/projects/{tree['project'].id}"
    other_sequence = factory.task("Sequence", project=tree["project"])
    other_shot = factory.task("Shot", parent=other_sequence, sequence=other_sequence)
    assert ids(artist.get(f"{base}/shots", under=other_sequence.id)) == [other_shot.id]
    sparse = artist.get(f"{base}/shots", fields="cut_in,sequence_id").json["data"]
    assert [set(item) for item in sparse] == [{"id", "cut_in", "sequence_id"}] * 2
    error = artist.get(f"{base}/shots", parent_id="x", status=400).json["error"]
    assert "parent_id" in error["fields"]


def test_the_breakdown_of_a_project_the_caller_is_not_on_is_not_found(api_as, factory, tree):
    outsider = api_as(factory.user())
    for kind in ("assets", "sequences", "shots"):
        outsider.get(f"/api/v1/projects/{tree['project'].id}/{kind}", status=404)


def _queries(api, count_queries, dbsession, url: str) -> int:
    dbsession.expire_all()
    with count_queries() as counter:
        api.get(url)
    return counter.count


def test_listing_tasks_sends_as_many_statements_for_5_as_for_50_rows(
    api_as, factory, dbsession, count_queries
):
    small, _sequence, _lighting = production(factory, 1)
    large, _sequence, _lighting = production(factory, 5)
    admin = api_as(factory.admin())
    for path in ("/api/v1/tasks?project_id={}", "/api/v1/projects/{}/shots?fields=id"):
        few = _queries(admin, count_queries, dbsession, path.format(small.id))
        many = _queries(admin, count_queries, dbsession, path.format(large.id) + "&limit=1000")
        assert few == many, path


def test_the_openapi_document_describes_the_task_lists_and_their_filters(testapp):
    paths = testapp.get("/api/v1/openapi.json").json["paths"]
    listed = {param["name"] for param in paths["/api/v1/tasks"]["get"]["parameters"]}
    assert {"limit", "cursor", "fields", "project_id", "parent_id", "under", "status"} <= listed
    assert {"resource_id", "type_id", "entity_type", "updated_since"} <= listed
    assert "parent_id=0" in paths["/api/v1/tasks"]["get"]["description"]
    for kind in ("assets", "sequences", "shots"):
        assert "get" in paths[f"/api/v1/projects/{{project_id}}/{kind}"]
    for path in ("/api/v1/tasks/{task_id}", "/api/v1/statuses", "/api/v1/types"):
        assert "get" in paths[path]
    assert "email" in paths["/api/v1/users"]["get"]["description"]
