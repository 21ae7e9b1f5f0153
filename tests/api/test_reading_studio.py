"""Reading the studio's lookups and people through the API: statuses, types and users, with
e-mail addresses only where the pages show them."""

from stalker_web.models import Status


def test_statuses_name_their_code_and_colour(api, dbsession):
    items = api.get("/api/v1/statuses", limit=1000).json["data"]
    wip = dbsession.query(Status).filter_by(code="WIP").one()
    assert {"id": wip.id, "code": "WIP", "name": wip.name, "color": wip.color} in items


def test_types_can_be_narrowed_to_one_target(api, factory):
    asset_type = factory.task_type("Asset", "Prop")
    task_type = factory.task_type("Task", "Rigging")
    found = api.get("/api/v1/types", target_entity_type="Asset", limit=1000).json["data"]
    expected = {"id": asset_type.id, "name": "Prop", "code": asset_type.code}
    assert {**expected, "target_entity_type": "Asset"} in found
    assert task_type.id not in [item["id"] for item in found]
    error = api.get("/api/v1/types", target_entity_type="Spaceship", status=400).json["error"]
    assert "target_entity_type" in error["fields"]


def test_everybody_reads_names_and_logins_but_only_their_own_email(api_as, factory):
    me, other = factory.user(name="Me Myself"), factory.user(name="Somebody Else")
    client = api_as(me)
    people = {item["id"]: item for item in client.get("/api/v1/users", limit=1000).json["data"]}
    assert people[me.id]["email"] == me.email
    assert people[other.id] == {
        "id": other.id,
        "login": other.login,
        "name": "Somebody Else",
        "email": None,
        "is_active": True,
    }
    assert client.get(f"/api/v1/users/{other.id}").json["email"] is None
    assert client.get(f"/api/v1/users/{me.id}").json["email"] == me.email


def test_admins_read_every_email(api_as, factory):
    other = factory.user()
    admin = api_as(factory.admin())
    assert admin.get(f"/api/v1/users/{other.id}").json["email"] == other.email
    [found] = admin.get("/api/v1/users", login=other.login.upper()).json["data"]
    assert found["email"] == other.email


def test_an_unknown_user_is_not_found(api):
    api.get("/api/v1/users/999999999", status=404)


def test_a_read_only_token_reads_people(api_as, factory):
    assert api_as(factory.user(), "read").get("/api/v1/users").json["data"]
