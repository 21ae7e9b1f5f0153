"""A project's ticket list (filters as a GET form, empty states in words, the CSV of what the
filters keep) and my tickets; both a fixed number of statements however many tickets."""

import csv
import io

from stalker_web.services.tickets.actions import perform_action
from stalker_web.services.tickets.links import LinkTarget

from ...factories.projects import member
from .helpers import logged_in, text_of


def numbers(page, table_id="tickets") -> list[str]:
    table = page.html.find(id=table_id)
    return [row.th.get_text(strip=True) for row in table.tbody("tr")] if table else []


def test_an_empty_list_says_how_tickets_come(testapp, project, artist):
    page = logged_in(testapp, artist).get(f"/projects/{project.id}/tickets")
    assert text_of(page, "tickets-empty").startswith("No tickets in Film yet.")
    assert page.html.find(id="tickets") is None


def test_the_list_shows_each_ticket_with_its_people_and_what_it_is_about(
    testapp, project, artist, ticket
):
    page = logged_in(testapp, artist).get(f"/projects/{project.id}/tickets")
    [row] = page.html.find(id="tickets").tbody("tr")
    words = row.get_text(" ", strip=True)
    assert "#1" in words and "The hat clips through the hair" in words and "New" in words
    assert "Artist" in words and "nobody" in words
    about = row.find(class_="ticket-about").a
    assert about.get_text() == f"{project.code} / SH010"


def test_the_filters_are_a_get_form_kept_in_the_csv_link(
    dbsession, factory, testapp, project, artist, lead, ticket
):
    workflow = factory.ticket_workflow()
    other = factory.ticket(project, artist, summary="Render farm", priority="MAJOR")
    perform_action(dbsession, workflow, other, lead, "accept", submitted_version=other.version_id)
    page = logged_in(testapp, artist).get(f"/projects/{project.id}/tickets")
    form = page.forms["ticket-filters"]
    assert form.method.lower() == "get"
    form["owner"] = str(lead.id)
    form["priority"] = "MAJOR"
    filtered = form.submit()
    assert numbers(filtered) == ["#2"]
    export = filtered.html.find("a", string="Export CSV")["href"]
    assert f"owner={lead.id}" in export and "priority=MAJOR" in export
    assert numbers(testapp.get(f"/projects/{project.id}/tickets?status=closed")) == []
    empty = testapp.get(f"/projects/{project.id}/tickets?q=nothing+like+it")
    assert text_of(empty, "tickets-empty").startswith("No ticket matches these filters.")


def test_tickets_about_a_task_list_those_about_anything_in_it(
    factory, testapp, project, artist, ticket, sh010
):
    factory.ticket(project, artist, summary="About nothing")
    page = logged_in(testapp, artist).get(f"/tasks/{sh010.id}")
    listed = testapp.get(page.html.find(id="tickets-link")["href"])
    assert numbers(listed) == ["#1"]
    assert "SH010 or anything in it" in text_of(listed, "ticket-linked")


def test_the_csv_has_every_ticket_the_filters_keep(factory, testapp, project, artist, ticket):
    factory.ticket(project, artist, summary="=cmd|' /C calc'!A0", priority="BLOCKER")
    response = logged_in(testapp, artist).get(f"/projects/{project.id}/tickets.csv")
    assert response.content_type == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{project.code}_tickets.csv"'
    )
    lines = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert [line[0] for line in lines] == ["Ticket", "Ticket #2", "Ticket #1"]
    assert lines[1][1] == "'=cmd|' /C calc'!A0"
    assert lines[2][8] == f"{project.code} / SH010"
    only = testapp.get(f"/projects/{project.id}/tickets.csv?priority=BLOCKER").text
    assert "Ticket #1" not in only and "Ticket #2" in only


def test_my_tickets_list_those_i_own_or_reported_open_first(
    dbsession, factory, testapp, project, artist, lead, ticket
):
    workflow = factory.ticket_workflow()
    given = factory.ticket(project, lead, summary="For the artist", owner_id=artist.id)
    done = factory.ticket(project, artist, summary="Already done")
    perform_action(
        dbsession,
        workflow,
        done,
        lead,
        "resolve",
        submitted_version=done.version_id,
        resolution="fixed",
    )
    factory.ticket(project, lead, summary="Not the artist's")
    page = logged_in(testapp, artist).get("/my/tickets")
    listed = numbers(page, "my-tickets")
    assert listed[-1] == f"#{done.number}"
    assert set(listed[:-1]) == {f"#{ticket.number}", f"#{given.number}"}


def test_my_tickets_say_so_when_there_are_none(testapp, artist):
    page = logged_in(testapp, artist).get("/my/tickets")
    assert text_of(page, "my-tickets-empty").startswith("No tickets for you")


def _tickets(factory, project, reporter, count):
    shot = factory.task("Shot", project=project)
    for _ in range(count):
        factory.ticket(
            project,
            reporter,
            owner_id=reporter.id,
            links=[LinkTarget("task", shot.id), LinkTarget("task", factory.task(parent=shot).id)],
        )


def test_the_list_takes_the_same_statements_for_few_or_many(factory, testapp, queries_of, artist):
    projects = [factory.project(), factory.project()]
    for project, count in zip(projects, (2, 25), strict=True):
        member(project, artist)
        _tickets(factory, project, artist, count)
    logged_in(testapp, artist)
    few, many = (queries_of(testapp, f"/projects/{project.id}/tickets") for project in projects)
    assert few == many


def test_my_tickets_take_the_same_statements_for_few_or_many(factory, testapp, queries_of):
    people = [factory.user(), factory.user()]
    for person, count in zip(people, (2, 25), strict=True):
        project = factory.project()
        member(project, person)
        _tickets(factory, project, person, count)
    counts = []
    for person in people:
        logged_in(testapp, person)
        counts.append(queries_of(testapp, "/my/tickets"))
        testapp.reset()
    assert counts[0] == counts[1]
