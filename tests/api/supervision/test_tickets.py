"""``/api/v1/projects/{id}/tickets`` and ``/api/v1/tickets/{id}``: listing with filters and
cursor pages, opening (idempotently), reading with the actions, and editing with If-Match."""

from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from stalker_web.models import Ticket
from stalker_web.services.tickets.links import LinkTarget

from .conftest import error_of, token_on_every_request


def tickets_url(project) -> str:
    return f"/api/v1/projects/{project.id}/tickets"


def test_a_member_lists_the_projects_tickets_in_cursor_pages(api_as, factory, team):
    tickets = [factory.ticket(team.project, team.artist) for _ in range(3)]
    factory.ticket()  # another project's
    client = api_as(team.artist)
    first = client.get(tickets_url(team.project), limit=2).json
    assert [item["id"] for item in first["data"]] == [t.id for t in tickets[:2]]
    rest = client.get(tickets_url(team.project), cursor=first["next_cursor"]).json
    assert [item["id"] for item in rest["data"]] == [tickets[2].id]
    assert rest["next_cursor"] is None
    item = first["data"][0]
    assert (item["number"], item["status"], item["priority"]) == (1, "NEW", "TRIVIAL")
    assert (item["reporter_id"], item["owner_id"], item["resolution"]) == (
        team.artist.id,
        None,
        None,
    )


def test_the_list_takes_the_pages_filters(api_as, factory, team):
    project = team.project
    defect = factory.task_type("Ticket", "Defect")
    shot = factory.task("Shot", project=project)
    leaf = factory.task(parent=shot, name="Comp")
    linked = factory.ticket(project, team.artist, links=[LinkTarget("task", leaf.id)])
    typed = factory.ticket(project, team.artist, type_id=defect.id, priority="MAJOR")
    owned = factory.ticket(
        project, team.artist, summary="Flicker in the sky", owner_id=team.manager.id
    )
    client = api_as(team.artist)

    def ids(**params):
        # In the URL: the client's own ``status`` argument is the expected HTTP status.
        url = f"{tickets_url(project)}?{urlencode(params)}"
        return [item["id"] for item in client.get(url).json["data"]]

    assert ids(task_id=shot.id) == [linked.id]
    assert ids(type_id=defect.id) == [typed.id]
    assert ids(priority="MAJOR") == [typed.id]
    assert ids(owner_id=team.manager.id) == [owned.id]
    assert ids(owner_id="none") == [linked.id, typed.id]
    assert ids(q="flicker") == [owned.id]
    assert ids(status="open") == [linked.id, typed.id, owned.id]
    assert ids(status="CLS") == []
    item = client.get(tickets_url(project), task_id=shot.id).json["data"][0]
    assert item["links"] == [{"kind": "task", "id": leaf.id, "label": item["links"][0]["label"]}]
    assert "Comp" in item["links"][0]["label"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "LOST"}, "status"),
        ({"owner_id": "someone"}, "owner_id"),
        ({"priority": "URGENT"}, "priority"),
        ({"type_id": "x"}, "type_id"),
        ({"task_id": "999999"}, "task_id"),
        ({"q": "x" * 101}, "q"),
    ],
)
def test_bad_filters_are_refused_naming_the_parameter(api_as, team, params, field):
    url = f"{tickets_url(team.project)}?{urlencode(params)}"
    response = api_as(team.artist).get(url, status=400)
    assert field in error_of(response)["fields"]


def test_the_lists_statement_count_does_not_grow_with_its_tickets(
    api_as, factory, team, queries_of, testapp
):
    task = factory.task(project=team.project)
    url = f"{tickets_url(team.project)}?limit=100"
    token_on_every_request(testapp, api_as(team.artist))

    def add(count):
        """``count`` tickets linked to the task, each related to the one before it."""
        for _ in range(count):
            last = factory.dbsession.scalar(select(func.max(Ticket.number)))
            factory.ticket(
                team.project,
                team.artist,
                links=[LinkTarget("task", task.id)],
                related_numbers=[last] if last else [],
            )

    add(5)
    few = queries_of(testapp, url)
    add(45)
    assert queries_of(testapp, url) == few


def test_a_member_opens_a_ticket_with_links_and_related_tickets(api_as, factory, team):
    task = factory.task(project=team.project, name="Rig")
    earlier = factory.ticket(team.project, team.artist)
    defect = factory.task_type("Ticket", "Defect")
    body = {
        "summary": "The rig breaks",
        "description": "**Knee** flips",
        "type_id": defect.id,
        "priority": "CRITICAL",
        "owner_id": team.manager.id,
        "links": [{"kind": "task", "id": task.id}],
        "related": [earlier.number],
    }
    response = api_as(team.artist).post(tickets_url(team.project), body, status=201)
    ticket = response.json
    assert response.headers["Location"].endswith(f"/api/v1/tickets/{ticket['id']}")
    assert response.headers["ETag"]
    assert (ticket["summary"], ticket["type"], ticket["priority"]) == (
        "The rig breaks",
        "Defect",
        "CRITICAL",
    )
    assert ticket["owner_id"] == team.manager.id and ticket["related"] == [earlier.number]
    assert [(link["kind"], link["id"]) for link in ticket["links"]] == [("task", task.id)]
    assert {action["action"] for action in ticket["actions"]} >= {"accept", "resolve"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "summary"),
        ({"summary": 12}, "summary"),
        ({"summary": "x", "priority": "URGENT"}, "priority"),
        ({"summary": "x", "type_id": 999999}, "type_id"),
        ({"summary": "x", "owner_id": "me"}, "owner_id"),
        ({"summary": "x", "links": [{"kind": "shot", "id": 1}]}, "links"),
        ({"summary": "x", "links": "task:1"}, "links"),
        ({"summary": "x", "related": [99]}, "related"),
        ({"summary": "x", "sumary": "typo"}, "sumary"),
    ],
)
def test_a_bad_ticket_is_refused_naming_the_field(api_as, team, dbsession, body, field):
    response = api_as(team.artist).post(tickets_url(team.project), body, status=422)
    assert field in error_of(response)["fields"]
    assert dbsession.scalar(select(func.count()).select_from(Ticket)) == 0


def test_an_owner_outside_the_team_is_refused(api_as, team):
    body = {"summary": "x", "owner_id": team.outsider.id}
    response = api_as(team.artist).post(tickets_url(team.project), body, status=422)
    assert "owner_id" in error_of(response)["fields"]


def test_an_idempotent_create_retried_makes_one_ticket(api_as, team, dbsession):
    client = api_as(team.artist)
    headers = {"Idempotency-Key": "a3c6d2f0-retry"}
    first = client.post(tickets_url(team.project), {"summary": "Once"}, headers=headers)
    again = client.post(tickets_url(team.project), {"summary": "Once"}, headers=headers)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json["id"] == first.json["id"]
    assert dbsession.scalar(select(func.count()).select_from(Ticket)) == 1


def test_outsiders_neither_see_nor_open_tickets(api_as, factory, team):
    ticket = factory.ticket(team.project, team.artist)
    outsider = api_as(team.outsider)
    outsider.get(tickets_url(team.project), status=404)
    outsider.get(f"/api/v1/tickets/{ticket.id}", status=404)
    outsider.post(tickets_url(team.project), {"summary": "x"}, status=404)


def test_a_ticket_says_which_actions_are_allowed_and_why_not(api_as, factory, team):
    ticket = factory.ticket(team.project, team.artist)
    response = api_as(team.artist).get(f"/api/v1/tickets/{ticket.id}")
    assert response.headers["ETag"] == f'"{ticket.version_id}"'
    actions = {action["action"]: action for action in response.json["actions"]}
    assert actions["accept"]["allowed"] and actions["accept"]["reason"] is None
    assert actions["resolve"]["asks_for"] == "resolution"
    assert actions["reassign"]["asks_for"] == "owner_id"
    assert not actions["reopen"]["allowed"]
    assert "only a Closed ticket can be reopened" in actions["reopen"]["reason"]


def test_an_edit_with_the_current_etag_is_saved(api_as, factory, team):
    ticket = factory.ticket(team.project, team.artist, summary="Old")
    client = api_as(team.artist)
    etag = client.get(f"/api/v1/tickets/{ticket.id}").headers["ETag"]
    response = client.patch(
        f"/api/v1/tickets/{ticket.id}",
        {"summary": "New", "priority": "BLOCKER"},
        headers={"If-Match": etag},
    )
    assert (response.json["summary"], response.json["priority"]) == ("New", "BLOCKER")
    assert response.json["description"] == ticket.description
    assert response.headers["ETag"] != etag


def test_an_edit_on_a_stale_etag_or_without_one_is_refused(api_as, factory, team):
    ticket = factory.ticket(team.project, team.artist, summary="Old")
    client = api_as(team.artist)
    stale = client.get(f"/api/v1/tickets/{ticket.id}").headers["ETag"]
    client.patch(f"/api/v1/tickets/{ticket.id}", {"summary": "First"}, headers={"If-Match": stale})
    response = client.patch(
        f"/api/v1/tickets/{ticket.id}",
        {"summary": "Second"},
        headers={"If-Match": stale},
        status=412,
    )
    assert error_of(response)["code"] == "precondition_failed"
    client.patch(f"/api/v1/tickets/{ticket.id}", {"summary": "Third"}, status=428)
    assert client.get(f"/api/v1/tickets/{ticket.id}").json["summary"] == "First"


def test_a_bad_edit_is_refused_naming_the_field(api_as, factory, team):
    ticket = factory.ticket(team.project, team.artist)
    client = api_as(team.artist)
    etag = {"If-Match": client.get(f"/api/v1/tickets/{ticket.id}").headers["ETag"]}
    for body, field in (({"summary": ""}, "summary"), ({"owner_id": 3}, "owner_id")):
        response = client.patch(f"/api/v1/tickets/{ticket.id}", body, headers=etag, status=422)
        assert field in error_of(response)["fields"]


def test_an_outsiders_edit_is_not_found(api_as, factory, team):
    ticket = factory.ticket(team.project, team.artist)
    response = api_as(team.outsider).patch(
        f"/api/v1/tickets/{ticket.id}", {"summary": "x"}, headers={"If-Match": '"1"'}, status=404
    )
    assert error_of(response)["code"] == "not_found"
