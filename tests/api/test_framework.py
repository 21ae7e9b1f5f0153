"""The API's ground rules: token sign-in only, JSON errors, cursor pages, sparse fields, rate
limits and the OpenAPI document."""

from datetime import timedelta

from stalker_web.api.operations import operations
from stalker_web.models import ApiToken
from stalker_web.models.meta import utcnow
from stalker_web.services.accounts.api_tokens import revoke_token

from ..conftest import login
from .conftest import ApiClient, make_token


def error_of(response) -> dict:
    assert response.content_type == "application/json"
    return response.json["error"]


def test_me_names_the_person_and_the_token(api_as, factory):
    user = factory.user(name="Ann Pipeline")
    me = api_as(user, "read").get("/api/v1/me").json
    assert (me["id"], me["login"], me["name"]) == (user.id, user.login, "Ann Pipeline")
    assert me["token"]["scope"] == "read" and me["token"]["name"] == "Tests"


def test_without_a_token_the_api_answers_401_in_json(testapp):
    response = testapp.get("/api/v1/me", status=401)
    assert error_of(response)["code"] == "unauthenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_the_session_cookie_never_signs_in_to_the_api(testapp, admin):
    login(testapp, admin.login)
    assert testapp.get("/", status=200)
    response = testapp.get("/api/v1/me", status=401)
    assert error_of(response)["code"] == "unauthenticated"


def test_unknown_revoked_expired_and_deactivated_tokens_do_not_sign_in(testapp, dbsession, factory):
    user = factory.user()
    for secret in ("swt_nothing_here", "not-even-a-token", "Bearer", ""):
        ApiClient(testapp, secret).get("/api/v1/me", status=401)
    secret = make_token(dbsession, user)
    token = dbsession.query(ApiToken).filter_by(user_id=user.id).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    dbsession.flush()
    ApiClient(testapp, secret).get("/api/v1/me", status=401)
    token.expires_at = None
    dbsession.flush()
    ApiClient(testapp, secret).get("/api/v1/me", status=200)
    user.is_active = False
    dbsession.flush()
    ApiClient(testapp, secret).get("/api/v1/me", status=401)
    user.is_active = True
    revoke_token(dbsession, token)
    dbsession.flush()
    ApiClient(testapp, secret).get("/api/v1/me", status=401)


def test_unknown_addresses_answer_404_in_json(api):
    assert error_of(api.get("/api/v1/nothing", status=404))["code"] == "not_found"
    assert error_of(api.get("/api/v1/projects/999999", status=404))["code"] == "not_found"


def test_a_project_the_caller_may_not_see_is_not_found(api_as, factory):
    project = factory.project()
    outsider = api_as(factory.user())
    assert error_of(outsider.get(f"/api/v1/projects/{project.id}", status=404))
    admin = api_as(factory.admin())
    body = admin.get(f"/api/v1/projects/{project.id}").json
    assert body["id"] == project.id and body["code"] == project.code


def test_projects_come_in_cursor_pages_with_sparse_fields(api_as, factory):
    projects = [factory.project() for _ in range(5)]
    admin = api_as(factory.admin())
    first = admin.get("/api/v1/projects", limit=2, fields="code")
    assert [item["id"] for item in first.json["data"]] == [p.id for p in projects[:2]]
    assert set(first.json["data"][0]) == {"id", "code"}
    assert 'rel="next"' in first.headers["Link"]
    ids, cursor = [], None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = admin.get("/api/v1/projects", **params).json
        ids += [item["id"] for item in page["data"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert ids == [p.id for p in projects]


def test_bad_list_parameters_are_refused_with_the_reason(api):
    for params, field in (
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"limit": "x"}, "limit"),
        ({"fields": "id,password_hash"}, "fields"),
    ):
        error = error_of(api.get("/api/v1/projects", status=400, **params))
        assert field in error["fields"], params
    error = error_of(api.get("/api/v1/projects", status=400, cursor="garbage!"))
    assert error["code"] == "invalid_cursor"


def test_a_token_over_its_rate_limit_waits(api, app, monkeypatch):
    monkeypatch.setitem(app.registry["studio_config"]["api"], "requests_per_minute", 3)
    for remaining in (2, 1, 0):
        response = api.get("/api/v1/me")
        assert response.headers["RateLimit-Remaining"] == str(remaining)
    response = api.get("/api/v1/me", status=429)
    assert error_of(response)["code"] == "rate_limited"
    assert 0 < int(response.headers["Retry-After"]) <= 60


def test_the_token_records_its_last_use(api_as, factory, dbsession):
    user = factory.user()
    api_as(user).get("/api/v1/me")
    token = dbsession.query(ApiToken).filter_by(user_id=user.id).one()
    dbsession.refresh(token)
    assert token.last_used_at is not None and token.window_count == 1


def test_the_openapi_document_names_every_api_route_and_only_those(testapp, app):
    document = testapp.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.1")
    documented = {
        operation["operationId"]
        for path in document["paths"].values()
        for operation in path.values()
    }
    declared = {f"{op.route_name}.{op.method.lower()}" for op in operations(app.registry)}
    assert documented == declared
    routes = {
        item["introspectable"]["name"]
        for item in app.registry.introspector.get_category("routes")
        if item["introspectable"]["name"].startswith("api.")
    }
    assert routes - {"api.openapi"} == {op.route_name for op in operations(app.registry)}


def test_a_person_who_must_change_their_password_is_told_to_do_it_first(api_as, factory):
    user = factory.user()
    client = api_as(user)
    user.must_change_password = True
    error = error_of(client.get("/api/v1/me", status=403))
    assert "Change your password" in error["message"]
