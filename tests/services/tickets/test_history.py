"""A ticket's log read back in words: who did what, and what each change moved."""

from stalker_web.services.tickets.actions import perform_action
from stalker_web.services.tickets.history import ticket_history
from stalker_web.services.tickets.links import LinkTarget, link_entity, relate, unlink
from stalker_web.services.tickets.tickets import update_ticket


def act(dbsession, workflow, ticket, actor, action, **values):
    perform_action(
        dbsession, workflow, ticket, actor, action, submitted_version=ticket.version_id, **values
    )


def test_the_log_says_each_change_in_words(
    dbsession, factory, workflow, project, ticket, artist, lead
):
    shot = factory.task("Shot", project=project, name="SH010")
    act(dbsession, workflow, ticket, lead, "accept")
    update_ticket(
        dbsession,
        ticket,
        lead,
        submitted_version=ticket.version_id,
        summary="Hat clips in SH010",
        description="Seen in the **playblast**",
        type_id=None,
        priority="MAJOR",
    )
    link = link_entity(dbsession, ticket, lead, LinkTarget("task", shot.id))
    dbsession.flush()
    unlink(dbsession, ticket, lead, link.id)
    relate(dbsession, ticket, artist, factory.ticket(project, artist))
    act(dbsession, workflow, ticket, lead, "reassign", owner_id=artist.id)
    act(dbsession, workflow, ticket, artist, "resolve", resolution="fixed")
    act(dbsession, workflow, ticket, lead, "reopen")

    said = [(e.who, e.what, e.details) for e in ticket_history(dbsession, ticket)]

    assert said == [
        ("Ann Artist", "opened it as New", []),
        ("Leo Lead", "accepted it", ["Status: New → Accepted", "Owner: nobody → Leo Lead"]),
        ("Leo Lead", "edited it", [
            "Summary: “The hat clips through the hair” → “Hat clips in SH010”",
            "Description written",
            "Priority: Trivial → Major",
        ]),
        ("Leo Lead", "linked it to FLM / SH010", []),
        ("Leo Lead", "removed its link to FLM / SH010", []),
        ("Ann Artist", "related it to Ticket #2", []),
        ("Leo Lead", "reassigned it", ["Status: Accepted → Assigned",
                                       "Owner: Leo Lead → Ann Artist"]),
        ("Ann Artist", "resolved it", ["Status: Assigned → Closed", "Resolution: none → fixed"]),
        ("Leo Lead", "reopened it", ["Status: Closed → Reopened", "Resolution: fixed → none"]),
    ]  # fmt: skip
