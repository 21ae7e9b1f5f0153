"""A project's tickets as CSV: the list's filters, every ticket (read in batches), links by path,
dates in the viewer's zone, and no cell a spreadsheet would run."""

import csv
import io
from datetime import UTC, datetime

from stalker_web.services.tickets import export
from stalker_web.services.tickets.export import HEADER, ticket_csv_lines
from stalker_web.services.tickets.filters import TicketFilters
from stalker_web.services.tickets.links import LinkTarget, link_entity


def rows(dbsession, workflow, project, filters=None, zone="UTC") -> list[list[str]]:
    filters = filters or TicketFilters()
    text = "".join(ticket_csv_lines(dbsession, workflow, project, filters, zone))
    return list(csv.reader(io.StringIO(text)))


def test_every_ticket_is_a_line_with_its_links_and_people(
    dbsession, factory, workflow, project, artist, lead
):
    shot = factory.task("Shot", project=project, name="SH010")
    ticket = factory.ticket(project, artist, summary="Hat clips", owner_id=lead.id)
    link_entity(dbsession, ticket, artist, LinkTarget("task", shot.id))
    ticket.date_created = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    dbsession.flush()

    header, line = rows(dbsession, workflow, project, zone="America/Montreal")

    assert tuple(header) == HEADER
    assert line[:-1] == [
        "Ticket #1", "Hat clips", "New", "", "Trivial", "Leo Lead", "Ann Artist", "",
        "FLM / SH010", "2026-03-02 09:00 EST",
    ]  # fmt: skip
    assert line[-1].endswith((" EST", " EDT"))  # last changed: now, in the viewer's zone


def test_the_filters_of_the_list_apply(dbsession, factory, workflow, project, artist):
    factory.ticket(project, artist, summary="Hat clips", priority="MAJOR")
    factory.ticket(project, artist, summary="Render farm down")
    filtered = rows(dbsession, workflow, project, TicketFilters(priority="MAJOR"))
    assert [line[1] for line in filtered[1:]] == ["Hat clips"]


def test_tickets_are_read_in_batches(dbsession, factory, workflow, project, artist, monkeypatch):
    monkeypatch.setattr(export, "BATCH", 2)
    for number in range(5):
        factory.ticket(project, artist, summary=f"Problem {number}")
    assert [line[0] for line in rows(dbsession, workflow, project)[1:]] == [
        f"Ticket #{number}" for number in (5, 4, 3, 2, 1)
    ]


def test_a_summary_that_looks_like_a_formula_is_neutralised(
    dbsession, factory, workflow, project, artist
):
    factory.ticket(project, artist, summary='=HYPERLINK("http://evil.example","Click")')
    factory.ticket(project, artist, summary="@SUM(A1)")
    summaries = [line[1] for line in rows(dbsession, workflow, project)[1:]]
    assert summaries == ["'@SUM(A1)", '\'=HYPERLINK("http://evil.example","Click")']
