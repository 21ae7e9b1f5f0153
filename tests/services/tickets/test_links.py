"""Links from a ticket to tasks, versions and files of its project, and related tickets kept both
ways; each change logged on the tickets it touches."""

import pytest
from sqlalchemy import select

from stalker_web.models import File, TicketLog, ticket_relations
from stalker_web.services.errors import ValidationError
from stalker_web.services.tickets.links import (
    LinkTarget,
    link_entity,
    links_of,
    relate,
    ticket_numbers,
    unlink,
    unrelate,
)


def last_log(dbsession, ticket) -> TicketLog:
    return dbsession.scalars(
        select(TicketLog).where(TicketLog.ticket_id == ticket.id).order_by(TicketLog.id.desc())
    ).first()


@pytest.fixture(name="animation")
def animation_fixture(factory, project):
    shot = factory.task("Shot", project=project, name="SH010")
    return factory.task(parent=shot, name="Animation")


@pytest.mark.parametrize(
    ("text", "target"),
    [("task:12", LinkTarget("task", 12)), ("file:3", LinkTarget("file", 3)), ("user:1", None),
     ("task:", None), ("task:²", None), ("task:-1", None), ("version:1234567890", None)],
)  # fmt: skip
def test_a_link_target_is_read_from_its_text(text, target):
    assert LinkTarget.parse(text) == target


def test_linking_a_task_version_and_file_names_each_by_its_path(
    dbsession, factory, ticket, artist, animation
):
    version = factory.version(animation)
    [file] = version.files
    for target in ("task", "version", "file"):
        entity = {"task": animation, "version": version, "file": file}[target]
        link_entity(dbsession, ticket, artist, LinkTarget(target, entity.id))
    views = links_of(dbsession, [ticket])[ticket.id]
    assert [(view.kind_label, view.label) for view in views] == [
        ("Task", "FLM / SH010 / Animation"),
        ("Version", "FLM / SH010 / Animation · r01 v001"),
        ("File", f"FLM / SH010 / Animation · r01 v001 · {file.filename}"),
    ]
    log = last_log(dbsession, ticket)
    assert (log.action, log.changes) == ("link", {"link": [None, views[-1].label]})


def test_a_link_is_made_once(dbsession, ticket, artist, animation):
    link_entity(dbsession, ticket, artist, LinkTarget("task", animation.id))
    with pytest.raises(ValidationError, match="The ticket is already linked to it."):
        link_entity(dbsession, ticket, artist, LinkTarget("task", animation.id))


def test_entities_of_other_projects_or_gone_cannot_be_linked(dbsession, factory, ticket, artist):
    elsewhere = factory.version(factory.task())
    for target in (LinkTarget("version", elsewhere.id), LinkTarget("file", 2**31 - 1), None):
        with pytest.raises(ValidationError, match="Choose a task, version or file of Film."):
            link_entity(dbsession, ticket, artist, target)
    assert ticket.links == []


def test_removing_a_link_is_logged(dbsession, ticket, artist, animation):
    link = link_entity(dbsession, ticket, artist, LinkTarget("task", animation.id))
    dbsession.flush()
    unlink(dbsession, ticket, artist, link.id)
    assert ticket.links == []
    log = last_log(dbsession, ticket)
    assert (log.action, log.changes) == ("unlink", {"link": ["FLM / SH010 / Animation", None]})
    with pytest.raises(ValidationError, match="This link is already gone"):
        unlink(dbsession, ticket, artist, link.id)


def test_a_link_goes_with_the_file_it_points_to(dbsession, factory, ticket, artist, animation):
    version = factory.version(animation)
    link_entity(dbsession, ticket, artist, LinkTarget("file", version.files[0].id))
    dbsession.flush()
    dbsession.delete(dbsession.get(File, version.files[0].id))
    dbsession.flush()
    dbsession.expire(ticket, ["links"])
    assert ticket.links == []


def test_related_tickets_are_stored_and_undone_both_ways(dbsession, factory, project, ticket, lead):
    other = factory.ticket(project, lead)
    relate(dbsession, ticket, lead, other)
    dbsession.flush()
    pairs = set(dbsession.execute(select(ticket_relations)).all())
    assert {(ticket.id, other.id), (other.id, ticket.id)} <= pairs
    assert last_log(dbsession, ticket).changes == {"related": [None, "Ticket #2"]}
    assert last_log(dbsession, other).changes == {"related": [None, "Ticket #1"]}

    unrelate(dbsession, other, lead, ticket.id)
    dbsession.flush()
    assert (ticket.related_tickets, other.related_tickets) == ([], [])
    assert last_log(dbsession, ticket).action == last_log(dbsession, other).action == "unrelate"


def test_a_ticket_is_not_related_to_itself_nor_twice(dbsession, factory, project, ticket, lead):
    with pytest.raises(ValidationError, match="A ticket cannot be related to itself."):
        relate(dbsession, ticket, lead, ticket)
    other = factory.ticket(project, lead)
    relate(dbsession, ticket, lead, other)
    with pytest.raises(ValidationError, match="Ticket #1 is already related to this ticket."):
        relate(dbsession, other, lead, ticket)


@pytest.mark.parametrize(
    ("text", "numbers"), [("#3, 7 #12", [3, 7, 12]), ("3 3", [3]), ("", []), (" , ", [])]
)
def test_ticket_numbers_are_read_from_a_text(text, numbers):
    assert ticket_numbers(text, "related") == numbers


def test_a_text_that_is_not_ticket_numbers_is_refused():
    with pytest.raises(ValidationError, match="“SH010” is not a ticket number") as refusal:
        ticket_numbers("#3, SH010", "related")
    assert refusal.value.field == "related"
