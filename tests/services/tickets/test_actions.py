"""The default ticket workflow (Stalker's): every move it allows with its side effect, every move
it refuses with the reason in words, each logged and announced."""

import pytest
from sqlalchemy import select

from stalker_web.events import TicketChanged
from stalker_web.models import TicketLog
from stalker_web.services.errors import ConflictError, ValidationError
from stalker_web.services.tickets.actions import allowed_actions, perform_action
from stalker_web.services.tickets.statuses import ticket_status

OPEN_CODES = ("NEW", "ACP", "ASG", "ROP")
NAMES = {"NEW": "New", "ACP": "Accepted", "ASG": "Assigned", "ROP": "Reopened", "CLS": "Closed"}
MOVES = [
    *(("resolve", code, "CLS") for code in OPEN_CODES),
    *(("accept", code, "ACP") for code in OPEN_CODES),
    *(("reassign", code, "ASG") for code in OPEN_CODES),
    ("reopen", "CLS", "ROP"),
]
REFUSALS = [
    ("resolve", "CLS", "Resolve: only a New, Accepted, Assigned or Reopened ticket can be "
     "resolved; this one is Closed."),
    ("accept", "CLS", "Accept: only a New, Accepted, Assigned or Reopened ticket can be "
     "accepted; this one is Closed."),
    ("reassign", "CLS", "Reassign: only a New, Accepted, Assigned or Reopened ticket can be "
     "reassigned; this one is Closed."),
    *(("reopen", code, f"Reopen: only a Closed ticket can be reopened; this one is {NAMES[code]}.")
      for code in OPEN_CODES),
]  # fmt: skip


@pytest.fixture(name="put")
def put_fixture(dbsession, workflow):
    """Put a ticket straight into a status (test setup only)."""

    def put_in(ticket, code, resolution=""):
        ticket.status = ticket_status(dbsession, workflow, code)
        ticket.resolution = resolution
        dbsession.flush()
        return ticket

    return put_in


def act(dbsession, workflow, ticket, actor, action, **values):
    return perform_action(
        dbsession, workflow, ticket, actor, action, submitted_version=ticket.version_id, **values
    )


ARGUMENTS = {"resolve": {"resolution": "fixed"}, "reassign": {}}


@pytest.mark.parametrize(("action", "from_code", "to_code"), MOVES)
def test_every_move_of_the_default_workflow(
    dbsession, workflow, put, ticket, lead, action, from_code, to_code
):
    put(ticket, from_code, resolution="fixed" if from_code == "CLS" else "")
    values = {"owner_id": lead.id} if action == "reassign" else ARGUMENTS.get(action, {})

    log = act(dbsession, workflow, ticket, lead, action, **values)

    assert ticket.status.code == to_code
    assert (log.action, log.from_status.code, log.to_status.code) == (action, from_code, to_code)


@pytest.mark.parametrize(("action", "from_code", "message"), REFUSALS)
def test_every_refused_move_says_why(
    dbsession, workflow, put, ticket, lead, action, from_code, message
):
    put(ticket, from_code)
    states = {state.action: state for state in allowed_actions(dbsession, workflow, ticket, lead)}
    assert states[action].reason == message

    with pytest.raises(ValidationError) as refusal:
        act(dbsession, workflow, ticket, lead, action, resolution="fixed", owner_id=lead.id)

    assert refusal.value.message == message
    assert ticket.status.code == from_code


def test_a_new_ticket_allows_every_action_but_reopen(dbsession, workflow, ticket, lead):
    states = allowed_actions(dbsession, workflow, ticket, lead)
    assert [(state.action, state.allowed, state.to_status) for state in states] == [
        ("resolve", True, "Closed"),
        ("accept", True, "Accepted"),
        ("reassign", True, "Assigned"),
        ("reopen", False, None),
    ]


def test_accept_makes_the_acting_member_the_owner(dbsession, workflow, ticket, lead):
    log = act(dbsession, workflow, ticket, lead, "accept")
    assert ticket.owner is lead
    assert log.changes == {"owner": [None, "Leo Lead"]}
    assert log.actor is lead


def test_someone_off_the_team_cannot_accept(dbsession, workflow, ticket, stranger):
    message = "Accept: only a member of the team of Film can take a ticket on; you are not on it."
    states = {s.action: s for s in allowed_actions(dbsession, workflow, ticket, stranger)}
    assert states["accept"].reason == message
    with pytest.raises(ValidationError, match=message):
        act(dbsession, workflow, ticket, stranger, "accept")
    assert ticket.owner is None


def test_resolve_keeps_the_resolution(dbsession, workflow, ticket, lead):
    log = act(dbsession, workflow, ticket, lead, "resolve", resolution="wontfix")
    assert ticket.resolution == "wontfix"
    assert log.changes == {"resolution": [None, "wontfix"]}


@pytest.mark.parametrize(
    ("resolution", "message"),
    [(None, "Choose how the ticket was resolved."), ("done", "Choose a resolution from the list.")],
)
def test_resolve_needs_a_resolution_of_the_list(
    dbsession, workflow, ticket, lead, resolution, message
):
    with pytest.raises(ValidationError) as refusal:
        act(dbsession, workflow, ticket, lead, "resolve", resolution=resolution)
    assert (refusal.value.message, refusal.value.field) == (message, "resolution")
    assert (ticket.status.code, ticket.resolution) == ("NEW", "")


def test_reassign_gives_the_ticket_to_a_member(dbsession, workflow, ticket, artist, lead):
    act(dbsession, workflow, ticket, lead, "accept")
    log = act(dbsession, workflow, ticket, lead, "reassign", owner_id=artist.id)
    assert ticket.owner is artist
    assert log.changes == {"owner": ["Leo Lead", "Ann Artist"]}


def test_reassign_needs_a_new_owner_on_the_team(dbsession, workflow, ticket, lead, stranger):
    with pytest.raises(ValidationError, match="Choose the person who takes the ticket on."):
        act(dbsession, workflow, ticket, lead, "reassign")
    with pytest.raises(ValidationError, match="Sam Stranger is not on the team of Film") as no:
        act(dbsession, workflow, ticket, lead, "reassign", owner_id=stranger.id)
    assert no.value.field == "owner"
    assert ticket.owner is None


def test_reopen_clears_the_resolution(dbsession, workflow, ticket, lead):
    act(dbsession, workflow, ticket, lead, "resolve", resolution="fixed")
    log = act(dbsession, workflow, ticket, lead, "reopen")
    assert (ticket.status.code, ticket.resolution) == ("ROP", "")
    assert log.changes == {"resolution": ["fixed", None]}


def test_an_action_on_a_stale_page_is_refused(dbsession, workflow, ticket, lead):
    stale = ticket.version_id
    act(dbsession, workflow, ticket, lead, "accept")
    with pytest.raises(ConflictError, match="changed by someone else since you opened this page"):
        perform_action(
            dbsession,
            workflow,
            ticket,
            lead,
            "resolve",
            submitted_version=stale,
            resolution="fixed",
        )
    assert ticket.status.code == "ACP"


def test_an_action_the_workflow_lacks_is_refused(dbsession, workflow, ticket, lead):
    with pytest.raises(ValidationError, match="The ticket workflow has no action “Close”."):
        act(dbsession, workflow, ticket, lead, "close")


def test_each_action_is_logged_and_announced(dbsession, workflow, ticket, lead, published):
    log = act(dbsession, workflow, ticket, lead, "accept")
    assert published == [
        TicketChanged(ticket.id, ticket.project_id, "accept", log.id, "NEW", "ACP")
    ]
    actions = dbsession.scalars(
        select(TicketLog.action).where(TicketLog.ticket_id == ticket.id).order_by(TicketLog.id)
    ).all()
    assert actions == ["create", "accept"]


def test_a_refused_action_announces_nothing(dbsession, workflow, ticket, lead, published):
    with pytest.raises(ValidationError):
        act(dbsession, workflow, ticket, lead, "reopen")
    assert published == []
