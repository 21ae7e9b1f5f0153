"""``/api/v1/tickets/{id}/actions/{action}``: every action of the default workflow through the
API, allowed and refused with the workflow's words; unknown actions; stale ETags."""

from .conftest import error_of


def act(client, ticket, action, body=None, status=200):
    """``action`` on ``ticket`` with its current ETag (read through the action's GET)."""
    url = f"/api/v1/tickets/{ticket.id}/actions/{action}"
    etag = client.get(url).headers["ETag"]
    return client.post(url, body or {}, headers={"If-Match": etag}, status=status)


def test_accept_makes_the_caller_the_owner(api_as, factory, team):
    ticket = factory.ticket(team.project, team.artist)
    response = act(api_as(team.manager), ticket, "accept")
    assert (response.json["status"], response.json["owner_id"]) == ("ACP", team.manager.id)


def test_resolve_keeps_the_resolution_and_asks_for_one(api_as, factory, team):
    ticket = factory.ticket(team.project, team.artist)
    client = api_as(team.artist)
    refused = act(client, ticket, "resolve", status=422)
    assert "resolution" in error_of(refused)["fields"]
    refused = act(client, ticket, "resolve", {"resolution": "shrug"}, status=422)
    assert error_of(refused)["fields"]["resolution"] == "Choose a resolution from the list."
    response = act(client, ticket, "resolve", {"resolution": "fixed"})
    assert (response.json["status"], response.json["resolution"]) == ("CLS", "fixed")


def test_reassign_gives_the_ticket_to_a_member(api_as, factory, team):
    ticket = factory.ticket(team.project, team.artist)
    client = api_as(team.artist)
    refused = act(client, ticket, "reassign", status=422)
    assert "owner_id" in error_of(refused)["fields"]
    refused = act(client, ticket, "reassign", {"owner_id": team.outsider.id}, status=422)
    assert "owner_id" in error_of(refused)["fields"]
    response = act(client, ticket, "reassign", {"owner_id": team.manager.id})
    assert (response.json["status"], response.json["owner_id"]) == ("ASG", team.manager.id)


def test_reopen_is_refused_with_the_workflows_words_until_the_ticket_is_closed(
    api_as, factory, team
):
    ticket = factory.ticket(team.project, team.artist)
    client = api_as(team.artist)
    refused = error_of(act(client, ticket, "reopen", status=422))
    assert refused["code"] == "invalid"
    assert refused["message"] == ("Reopen: only a Closed ticket can be reopened; this one is New.")
    act(client, ticket, "resolve", {"resolution": "wontfix"})
    response = act(client, ticket, "reopen")
    assert (response.json["status"], response.json["resolution"]) == ("ROP", None)
    refused = error_of(act(client, ticket, "reopen", status=422))
    assert "only a Closed ticket can be reopened" in refused["message"]


def test_the_action_get_says_whether_it_is_allowed(api_as, factory, team):
    ticket = factory.ticket(team.project, team.artist)
    state = api_as(team.artist).get(f"/api/v1/tickets/{ticket.id}/actions/reopen").json
    assert state["allowed"] is False and "Closed" in state["reason"]


def test_an_unknown_action_is_not_found(api_as, factory, team):
    ticket = factory.ticket(team.project, team.artist)
    client = api_as(team.artist)
    client.get(f"/api/v1/tickets/{ticket.id}/actions/explode", status=404)
    response = client.post(
        f"/api/v1/tickets/{ticket.id}/actions/explode",
        {},
        headers={"If-Match": f'"{ticket.version_id}"'},
        status=404,
    )
    assert "no action" in error_of(response)["message"]


def test_an_action_on_a_stale_etag_is_refused(api_as, factory, team):
    ticket = factory.ticket(team.project, team.artist)
    client = api_as(team.artist)
    url = f"/api/v1/tickets/{ticket.id}/actions/accept"
    stale = client.get(url).headers["ETag"]
    client.post(url, {}, headers={"If-Match": stale}, status=200)
    client.post(url, {}, headers={"If-Match": stale}, status=412)
    client.post(url, {}, status=428)


def test_outsiders_may_not_act(api_as, factory, team):
    ticket = factory.ticket(team.project, team.artist)
    api_as(team.outsider).post(
        f"/api/v1/tickets/{ticket.id}/actions/accept",
        {},
        headers={"If-Match": f'"{ticket.version_id}"'},
        status=404,
    )
