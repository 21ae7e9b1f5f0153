"""A project's tickets filtered (status, owner, type, priority, text, linked entity) and paged,
and "my tickets"; each page a fixed number of queries however many tickets and links."""

import pytest
from sqlalchemy import select

from stalker_web.models import Type
from stalker_web.services.tickets.actions import perform_action
from stalker_web.services.tickets.filters import TicketFilters, parse_filters
from stalker_web.services.tickets.links import LinkTarget, link_entity
from stalker_web.services.tickets.listing import linked_task, my_tickets, project_tickets

from ...factories.projects import member


def listed(dbsession, workflow, project, **filters) -> list[int]:
    linked = linked_task(dbsession, project, filters.get("linked_id"))
    page = project_tickets(dbsession, workflow, project, TicketFilters(**filters), 1, linked)
    return [row.ticket.number for row in page.items]


def act(dbsession, workflow, ticket, actor, action, **values):
    perform_action(
        dbsession, workflow, ticket, actor, action, submitted_version=ticket.version_id, **values
    )


@pytest.fixture(name="defect")
def defect_fixture(dbsession):
    return dbsession.scalars(
        select(Type).where(Type.target_entity_type == "Ticket", Type.name == "Defect")
    ).one()


def test_the_newest_tickets_come_first(dbsession, factory, workflow, project, artist):
    for _ in range(3):
        factory.ticket(project, artist)
    factory.ticket(factory.project(), artist)
    assert listed(dbsession, workflow, project) == [3, 2, 1]


def test_filters_by_status_owner_type_and_priority(
    dbsession, factory, workflow, project, artist, lead, defect
):
    new = factory.ticket(project, artist, priority="MAJOR", type_id=defect.id)
    accepted = factory.ticket(project, artist)
    act(dbsession, workflow, accepted, lead, "accept")
    closed = factory.ticket(project, artist, priority="MAJOR")
    act(dbsession, workflow, closed, lead, "resolve", resolution="fixed")
    assert listed(dbsession, workflow, project, status="ACP") == [accepted.number]
    assert listed(dbsession, workflow, project, status="open") == [accepted.number, new.number]
    assert listed(dbsession, workflow, project, status="closed") == [closed.number]
    assert listed(dbsession, workflow, project, owner=str(lead.id)) == [accepted.number]
    assert listed(dbsession, workflow, project, owner="none") == [closed.number, new.number]
    assert listed(dbsession, workflow, project, type_id=defect.id) == [new.number]
    assert listed(dbsession, workflow, project, priority="MAJOR") == [closed.number, new.number]
    assert listed(dbsession, workflow, project, priority="MAJOR", status="open") == [new.number]


def test_the_text_filter_reads_summary_description_and_number_literally(
    dbsession, factory, workflow, project, artist
):
    factory.ticket(project, artist, summary="Hat clips", description="In SH010")
    factory.ticket(project, artist, summary="100% wrong", description="Render_farm down")
    factory.ticket(project, artist, summary="1000 frames", description="Render farm down")
    assert listed(dbsession, workflow, project, text="HAT") == [1]
    assert listed(dbsession, workflow, project, text="sh010") == [1]
    assert listed(dbsession, workflow, project, text="100%") == [2]
    assert listed(dbsession, workflow, project, text="render_farm") == [2]
    assert listed(dbsession, workflow, project, text="#3") == [3]
    assert listed(dbsession, workflow, project, text="' OR 1=1 --") == []


def test_the_linked_filter_keeps_tickets_about_the_task_or_anything_under_it(
    dbsession, factory, workflow, project, artist
):
    sequence = factory.task("Sequence", project=project, name="SQ01")
    shot = factory.task("Shot", parent=sequence, name="SH010")
    animation = factory.task(parent=shot, name="Animation")
    version = factory.version(animation)
    other_shot = factory.task("Shot", parent=sequence, name="SH020")
    about = {
        "shot": LinkTarget("task", shot.id),
        "animation": LinkTarget("task", animation.id),
        "version": LinkTarget("version", version.id),
        "file": LinkTarget("file", version.files[0].id),
        "other shot": LinkTarget("task", other_shot.id),
    }
    numbers = {}
    for name, target in about.items():
        ticket = factory.ticket(project, artist)
        link_entity(dbsession, ticket, artist, target)
        numbers[name] = ticket.number
    factory.ticket(project, artist)  # linked to nothing

    assert listed(dbsession, workflow, project, linked_id=shot.id) == [4, 3, 2, 1]
    assert listed(dbsession, workflow, project, linked_id=animation.id) == [4, 3, 2]
    assert listed(dbsession, workflow, project, linked_id=sequence.id) == [5, 4, 3, 2, 1]
    assert listed(dbsession, workflow, project, linked_id=other_shot.id) == [numbers["other shot"]]
    elsewhere = factory.task(name="Elsewhere")
    assert linked_task(dbsession, project, elsewhere.id) is None


def test_filters_come_from_the_query_string_and_ignore_nonsense(workflow):
    params = {"status": "ACP", "owner": "12", "type": "3", "priority": "MAJOR", "q": " hat ",
              "linked": "40", "page": "2"}  # fmt: skip
    assert parse_filters(params, workflow) == TicketFilters("ACP", "12", 3, "MAJOR", "hat", 40)
    nonsense = {"status": "WIP", "owner": "ann", "type": "²", "priority": "urgent", "linked": "-1"}
    assert parse_filters(nonsense, workflow) == TicketFilters()
    assert parse_filters({"owner": "none", "status": "closed"}, workflow).query() == {
        "owner": "none",
        "status": "closed",
    }


def _project_with_tickets(factory, reporter, count: int):
    """A project with ``count`` tickets of ``reporter`` (who owns them), each linked to a shot
    and to a task of it."""
    project = factory.project()
    member(project, reporter)
    shot = factory.task("Shot", project=project)
    for _ in range(count):
        ticket = factory.ticket(project, reporter, owner_id=reporter.id)
        for task in (shot, factory.task(parent=shot)):
            link_entity(factory.dbsession, ticket, reporter, LinkTarget("task", task.id))
    return project


def test_a_page_of_tickets_takes_the_same_queries_for_few_or_many(
    dbsession, factory, workflow, artist, count_queries
):
    projects = [_project_with_tickets(factory, artist, count) for count in (2, 20)]
    counts = []
    for project in projects:
        dbsession.expire_all()
        with count_queries() as counter:
            page = project_tickets(dbsession, workflow, project, TicketFilters(), 1)
            assert all(row.ticket.owner.name and row.ticket.status.name for row in page.items)
            assert all(len(row.links) == 2 for row in page.items)
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_my_tickets_are_those_i_own_or_reported_on_my_teams_open_first(
    dbsession, factory, workflow, project, artist, lead
):
    mine = factory.ticket(project, artist, summary="Reported by me")
    owned = factory.ticket(project, lead, summary="Mine to do", owner_id=artist.id)
    closed = factory.ticket(project, artist, summary="Done")
    act(dbsession, workflow, closed, lead, "resolve", resolution="fixed")
    factory.ticket(project, lead, summary="Not mine")
    other = factory.project(name="Left")
    member(other, artist)
    left = factory.ticket(other, artist, summary="On a team I left")
    other.members.clear()
    dbsession.flush()

    page = my_tickets(dbsession, workflow, artist, 1)

    summaries = [row.ticket.summary for row in page.items]
    assert summaries[-1] == closed.summary
    assert set(summaries[:-1]) == {mine.summary, owned.summary}
    assert left.summary not in summaries


def test_my_tickets_take_the_same_queries_for_few_or_many(
    dbsession, factory, workflow, count_queries
):
    people = [factory.user(), factory.user()]
    for person, count in zip(people, (2, 20), strict=True):
        _project_with_tickets(factory, person, count)
    counts = []
    for person in people:
        dbsession.expire_all()
        with count_queries() as counter:
            page = my_tickets(dbsession, workflow, person, 1)
            assert all(row.ticket.project.code and row.ticket.reporter for row in page.items)
            assert all(len(row.links) == 2 for row in page.items)
        counts.append(counter.count)
    assert counts[0] == counts[1]
