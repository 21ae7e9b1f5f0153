"""Opening a ticket (its number, status, reporter, owner, links and related tickets, every value
checked) and editing its own fields on a page that may have gone stale."""

import pytest
from sqlalchemy import select

from stalker_web.events import TicketChanged
from stalker_web.models import TicketLog, TicketPriority, Type
from stalker_web.services.errors import ConflictError, ValidationError
from stalker_web.services.tickets.links import LinkTarget
from stalker_web.services.tickets.tickets import create_ticket, update_ticket


def open_ticket(dbsession, workflow, project, reporter, **values):
    values.setdefault("summary", "The hat clips through the hair")
    return create_ticket(dbsession, workflow, project, reporter, **values)


def ticket_type(dbsession, name):
    return dbsession.scalars(
        select(Type).where(Type.target_entity_type == "Ticket", Type.name == name)
    ).one()


def test_a_new_ticket_starts_new_reported_by_who_opened_it(
    dbsession, workflow, project, artist, lead, published
):
    ticket = open_ticket(
        dbsession,
        workflow,
        project,
        artist,
        description="It **pokes** out in *SH010*.",
        type_id=ticket_type(dbsession, "Defect").id,
        priority="MAJOR",
        owner_id=lead.id,
    )
    assert (ticket.number, ticket.name, ticket.status.code) == (1, "Ticket #1", "NEW")
    assert (ticket.reporter, ticket.owner, ticket.type.name) == (artist, lead, "Defect")
    assert ticket.priority is TicketPriority.MAJOR
    assert (ticket.resolution, ticket.links, ticket.related_tickets) == ("", [], [])
    [log] = dbsession.scalars(select(TicketLog).where(TicketLog.ticket_id == ticket.id)).all()
    assert (log.action, log.from_status, log.to_status.code) == ("create", None, "NEW")
    assert log.changes == {
        "summary": [None, "The hat clips through the hair"],
        "priority": [None, "MAJOR"],
        "type": [None, "Defect"],
        "owner": [None, "Leo Lead"],
    }
    assert published == [TicketChanged(ticket.id, project.id, "create", log.id, None, "NEW")]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"summary": "  "}, "summary", "Say in one line what the ticket is about."),
        ({"summary": "x" * 257}, "summary", "Use at most 256 characters."),
        ({"description": "x" * 20_001}, "description", "Use at most 20,000 characters."),
        ({"priority": "URGENT"}, "priority", "Choose a priority from the list."),
        ({"type_id": 2**31 - 1}, "type", "Choose a ticket type from the list."),
    ],
)
def test_a_ticket_with_a_bad_value_is_refused_under_its_field(
    dbsession, workflow, project, artist, values, field, message
):
    with pytest.raises(ValidationError) as refusal:
        open_ticket(dbsession, workflow, project, artist, **values)
    assert (refusal.value.field, refusal.value.message) == (field, message)
    assert project.last_ticket_number == 0


def test_a_type_of_tasks_is_not_a_ticket_type(dbsession, factory, workflow, project, artist):
    with pytest.raises(ValidationError, match="Choose a ticket type"):
        open_ticket(dbsession, workflow, project, artist, type_id=factory.task_type("Task").id)


def test_the_owner_must_be_on_the_team(dbsession, workflow, project, artist, stranger):
    with pytest.raises(ValidationError, match="Sam Stranger is not on the team of Film"):
        open_ticket(dbsession, workflow, project, artist, owner_id=stranger.id)


def test_a_new_ticket_links_to_entities_of_its_project(
    dbsession, factory, workflow, project, artist
):
    shot = factory.task("Shot", project=project, name="SH010")
    version = factory.version(factory.task(parent=shot, name="Animation"))
    ticket = open_ticket(
        dbsession,
        workflow,
        project,
        artist,
        links=[LinkTarget("task", shot.id), LinkTarget("version", version.id)],
    )
    assert [(link.task, link.version) for link in ticket.links] == [(shot, None), (None, version)]
    [log] = dbsession.scalars(select(TicketLog).where(TicketLog.ticket_id == ticket.id)).all()
    assert log.changes["links"] == [None, ["FLM / SH010", "FLM / SH010 / Animation · r01 v001"]]


def test_a_link_to_another_project_is_refused(dbsession, factory, workflow, project, artist):
    elsewhere = factory.task(name="Elsewhere")
    with pytest.raises(ValidationError, match="Choose a task, version or file of Film.") as no:
        open_ticket(dbsession, workflow, project, artist, links=[LinkTarget("task", elsewhere.id)])
    assert no.value.field == "links"


def test_a_new_ticket_relates_to_tickets_of_its_project_both_ways(
    dbsession, factory, workflow, project, artist
):
    first = factory.ticket(project, artist)
    second = open_ticket(dbsession, workflow, project, artist, related_numbers=[first.number])
    assert second.related_tickets == [first]
    assert first.related_tickets == [second]
    with pytest.raises(ValidationError, match="Film has no Ticket #9.") as no:
        open_ticket(dbsession, workflow, project, artist, related_numbers=[9])
    assert no.value.field == "related"


def test_editing_logs_each_changed_field(dbsession, workflow, project, artist, published):
    ticket = open_ticket(dbsession, workflow, project, artist, description="Old words")
    published.clear()
    changed = update_ticket(
        dbsession,
        ticket,
        artist,
        submitted_version=ticket.version_id,
        summary="The hat clips through the hair in SH010",
        description="Old words",
        type_id=ticket_type(dbsession, "Enhancement").id,
        priority="BLOCKER",
    )
    assert changed
    log = dbsession.scalars(
        select(TicketLog).where(TicketLog.ticket_id == ticket.id).order_by(TicketLog.id.desc())
    ).first()
    assert (log.action, log.from_status, log.to_status) == ("edit", None, None)
    assert log.changes == {
        "summary": ["The hat clips through the hair", "The hat clips through the hair in SH010"],
        "type": [None, "Enhancement"],
        "priority": ["TRIVIAL", "BLOCKER"],
    }
    assert published == [TicketChanged(ticket.id, project.id, "edit", log.id, None, None)]


def test_an_edit_that_changes_nothing_is_not_logged(dbsession, workflow, project, artist):
    ticket = open_ticket(dbsession, workflow, project, artist)
    assert not update_ticket(
        dbsession,
        ticket,
        artist,
        submitted_version=ticket.version_id,
        summary=ticket.summary,
        description="",
        type_id=None,
        priority="TRIVIAL",
    )


def test_an_edit_on_a_stale_page_is_refused(dbsession, workflow, project, artist, lead):
    ticket = open_ticket(dbsession, workflow, project, artist)
    opened_at = ticket.version_id
    values = {"description": "", "type_id": None, "priority": "TRIVIAL"}
    update_ticket(
        dbsession, ticket, lead, submitted_version=opened_at, summary="Lead's words", **values
    )
    with pytest.raises(ConflictError) as refusal:
        update_ticket(
            dbsession, ticket, artist, submitted_version=opened_at, summary="Mine", **values
        )
    assert refusal.value.message == (
        "Ticket #1 was changed by someone else since you opened this page. Reload it to see "
        "their changes, then make yours again."
    )
    assert ticket.summary == "Lead's words"
