"""The API's authorization matrix: every operation of every API route, requested with a token
of every kind of person (the people and rows of ``tests/matrix_objects.py``), and once with the
session cookie only, which the API never accepts.

A GET is sent as is; a change (POST, PATCH, PUT, DELETE) with an empty JSON body and, where the
operation reads it, ``If-Match`` with the object's current ETag, so an allowed change is usually
refused for its input (400 or 422: "ok") or done (2xx: "ok"). Each request runs in a savepoint
rolled back afterwards.

The expected answers follow the pages' matrix: the API uses the same contexts and ACLs. What the
caller may not see answers 404; a change refused on what they may read answers 403; without a
token, 401 ("anon").
"""

import pytest

from stalker_web.services.transactions import hold_write_lock

from ..conftest import login
from ..matrix_objects import ROLES, build_matrix_studio
from .conftest import make_token

# ok = 2xx, 400 or 422 (refused for its input); 401, 403, 404 = that status.
EXPECTED: dict[tuple[str, str], str] = {
    # (route, method):                   admin prodr lead  artst outsd nogrp anon
    ("api.openapi", "GET"):              "ok    ok    ok    ok    ok    ok    ok",
    ("api.me", "GET"):                   "ok    ok    ok    ok    ok    ok    401",
    ("api.projects", "GET"):             "ok    ok    ok    ok    ok    ok    401",
    # Projects: members read them; the outsider and nogroups see nothing of Matrix.
    ("api.projects.view", "GET"):        "ok    ok    ok    ok    404   404   401",
    ("api.projects.repositories", "GET"): "ok    ok    ok    ok    404   404   401",
    # Without a path the request is refused (400: "ok") for whoever may read the project.
    ("api.projects.files", "GET"):       "ok    ok    ok    ok    404   404   401",
    # --- Reading the studio (tasks, assets, sequences, shots, statuses, types, users) ---
    # Tasks: everybody lists what they may see; members read Matrix's task and breakdown, the
    # outsider (no longer a member) and nogroups see nothing of it.
    ("api.tasks", "GET"):                "ok    ok    ok    ok    ok    ok    401",
    ("api.tasks.view", "GET"):           "ok    ok    ok    ok    404   404   401",
    ("api.projects.assets", "GET"):      "ok    ok    ok    ok    404   404   401",
    ("api.projects.sequences", "GET"):   "ok    ok    ok    ok    404   404   401",
    ("api.projects.shots", "GET"):       "ok    ok    ok    ok    404   404   401",
    # Lookups and people (names as the user picker shows them) for anybody signed in.
    ("api.statuses", "GET"):             "ok    ok    ok    ok    ok    ok    401",
    ("api.types", "GET"):                "ok    ok    ok    ok    ok    ok    401",
    ("api.users", "GET"):                "ok    ok    ok    ok    ok    ok    401",
    ("api.users.view", "GET"):           "ok    ok    ok    ok    ok    ok    401",
    # --- Work (versions, files, time logs, reviews) ---
    # The pages' rights: members read and make versions, log time and ask for reviews; a log is
    # changed by its owner (or an admin); managers (producer, lead) answer reviews.
    ("api.tasks.versions", "GET"):       "ok    ok    ok    ok    404   404   401",
    ("api.tasks.versions", "POST"):      "ok    ok    ok    ok    404   404   401",
    ("api.versions.view", "GET"):        "ok    ok    ok    ok    404   404   401",
    ("api.versions.publish", "POST"):    "ok    ok    ok    ok    404   404   401",
    ("api.versions.unpublish", "POST"):  "ok    ok    ok    ok    404   404   401",
    ("api.versions.files", "GET"):       "ok    ok    ok    ok    404   404   401",
    ("api.versions.files", "POST"):      "ok    ok    ok    ok    404   404   401",
    ("api.files.view", "GET"):           "ok    ok    ok    ok    404   404   401",
    ("api.files.content", "GET"):        "ok    ok    ok    ok    404   404   401",
    ("api.tasks.time_logs", "GET"):      "ok    ok    ok    ok    404   404   401",
    ("api.tasks.time_logs", "POST"):     "ok    ok    ok    ok    404   404   401",
    ("api.time_logs.view", "GET"):       "ok    ok    ok    ok    404   404   401",
    ("api.time_logs.view", "PATCH"):     "ok    403   403   ok    404   404   401",
    ("api.time_logs.view", "DELETE"):    "ok    403   403   ok    404   404   401",
    ("api.tasks.reviews", "GET"):        "ok    ok    ok    ok    404   404   401",
    ("api.tasks.reviews", "POST"):       "ok    ok    ok    ok    404   404   401",
    ("api.reviews.approve", "POST"):     "ok    ok    ok    403   404   404   401",
    ("api.reviews.request_revision", "POST"): "ok ok  ok    403   404   404   401",
    # --- Supervision (tickets, notes) and schedule runs ---
    # Tickets: as the ticket pages, Matrix's members read, open, edit and act on its tickets.
    ("api.projects.tickets", "GET"):     "ok    ok    ok    ok    404   404   401",
    ("api.projects.tickets", "POST"):    "ok    ok    ok    ok    404   404   401",
    ("api.tickets.view", "GET"):         "ok    ok    ok    ok    404   404   401",
    ("api.tickets.view", "PATCH"):       "ok    ok    ok    ok    404   404   401",
    ("api.tickets.action", "GET"):       "ok    ok    ok    ok    404   404   401",
    ("api.tickets.action", "POST"):      "ok    ok    ok    ok    404   404   401",
    # Notes: members read and write them on anything of the project, as the notes pages.
    ("api.projects.notes", "GET"):       "ok    ok    ok    ok    404   404   401",
    ("api.projects.notes", "POST"):      "ok    ok    ok    ok    404   404   401",
    ("api.tasks.notes", "GET"):          "ok    ok    ok    ok    404   404   401",
    ("api.tasks.notes", "POST"):         "ok    ok    ok    ok    404   404   401",
    ("api.versions.notes", "GET"):       "ok    ok    ok    ok    404   404   401",
    ("api.versions.notes", "POST"):      "ok    ok    ok    ok    404   404   401",
    ("api.tickets.notes", "GET"):        "ok    ok    ok    ok    404   404   401",
    ("api.tickets.notes", "POST"):       "ok    ok    ok    ok    404   404   401",
    ("api.notes.view", "GET"):           "ok    ok    ok    ok    404   404   401",
    # Schedule runs: the list holds what each may read (empty for some); the whole studio is
    # started by studio-wide rights only (schedule.start); Matrix's run is read by its managers
    # (producer, lead) as schedule.run.
    ("api.schedule.runs", "GET"):        "ok    ok    ok    ok    ok    ok    401",
    ("api.schedule.runs", "POST"):       "ok    403   403   403   403   403   401",
    ("api.schedule.run", "GET"):         "ok    ok    ok    404   404   404   401",
}  # fmt: skip

CODES = {"ok", "401", "403", "404"}
CHANGES = ("POST", "PATCH", "PUT", "DELETE")


def api_requests(introspector) -> dict[tuple[str, str], str]:
    """Every (API route, method) with a view, and the route's pattern."""
    patterns = {
        item["introspectable"]["name"]: item["introspectable"]["pattern"]
        for item in introspector.get_category("routes")
        if item["introspectable"]["name"].startswith("api.")
    }
    found = {}
    for item in introspector.get_category("views"):
        view = item["introspectable"]
        if view["route_name"] not in patterns:
            continue
        methods = view["request_methods"] or ("GET",)
        for method in (methods,) if isinstance(methods, str) else methods:
            if method != "HEAD":
                found[(view["route_name"], method)] = patterns[view["route_name"]]
    return found


def answer_code(response) -> str:
    status = response.status_int
    if 200 <= status < 300 or status in (400, 422):
        return "ok"
    return str(status)


def test_every_api_route_has_a_row(app):
    found = api_requests(app.registry.introspector)
    assert sorted(set(found) - set(EXPECTED)) == [], "API routes without a row in EXPECTED"
    assert sorted(set(EXPECTED) - set(found)) == [], "rows in EXPECTED for no API route"
    assert all(
        len(row.split()) == len(ROLES) and set(row.split()) <= CODES for row in EXPECTED.values()
    )


def _send(testapp, method: str, url: str, headers: dict):
    if method == "GET":
        return testapp.get(url, headers=headers, status="*")
    current = testapp.get(url, headers=headers, status="*")
    if "ETag" not in current.headers:  # an action on an object (/versions/1/publish): its ETag
        current = testapp.get(url.rsplit("/", 1)[0], headers=headers, status="*")
    if "ETag" in current.headers:
        headers = {**headers, "If-Match": current.headers["ETag"]}
    send = getattr(testapp, f"{method.lower()}_json")
    return send(url, {}, headers=headers, status="*")


@pytest.mark.parametrize("role", ROLES)
def test_api_matrix(role, app, testapp, factory, dbsession, studio_config, tmp_path):
    studio = build_matrix_studio(factory, studio_config, tmp_path)
    headers = {}
    if role != "anonymous":
        headers["Authorization"] = f"Bearer {make_token(dbsession, studio.people[role])}"
    column = ROLES.index(role)
    differences = []
    for (route_name, method), pattern in sorted(api_requests(app.registry.introspector).items()):
        url = studio.url(route_name, pattern)
        hold_write_lock(dbsession)
        cell = dbsession.begin_nested()
        try:
            response = _send(testapp, method, url, headers)
        finally:
            cell.rollback()
            dbsession.expire_all()
        expected, got = EXPECTED[(route_name, method)].split()[column], answer_code(response)
        if got != expected:
            differences.append(f"{method} {route_name} ({url}): expected {expected}, got {got}")
    assert not differences, "\n".join(differences)


def test_the_session_cookie_alone_never_reaches_an_api_operation(
    app, testapp, factory, studio_config, tmp_path
):
    studio = build_matrix_studio(factory, studio_config, tmp_path)
    login(testapp, studio.people["admin"].login)
    for (route_name, method), pattern in sorted(api_requests(app.registry.introspector).items()):
        if route_name == "api.openapi":
            continue
        url = studio.url(route_name, pattern)
        if method == "GET":
            response = testapp.get(url, status="*")
        else:
            response = getattr(testapp, f"{method.lower()}_json")(url, {}, status="*")
        assert response.status_int == 401, f"{method} {url}: {response.status_int}"
