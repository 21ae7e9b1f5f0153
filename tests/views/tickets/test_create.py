"""Opening a ticket: from a shot's or a version's page (the form starts linked to it), with an
owner from the team and related tickets; every refusal said beside its field."""

from sqlalchemy import select

from stalker_web.models import Ticket

from .helpers import flashes, logged_in, text_of


def test_a_shot_page_opens_a_ticket_about_the_shot(dbsession, testapp, project, artist, sh010):
    page = logged_in(testapp, artist).get(f"/tasks/{sh010.id}")
    form_page = testapp.get(page.html.find(id="new-ticket-link")["href"])
    assert text_of(form_page, "ticket-links") == f"About Shot {project.code} / SH010"
    form = form_page.forms["ticket-form"]
    form["summary"] = "The hat clips through the hair"
    form["description"] = "Frames 1012-1020, see the *playblast*."
    form["priority"] = "MAJOR"
    ticket_page = form.submit(status=303).follow()

    ticket = dbsession.scalars(select(Ticket).where(Ticket.project_id == project.id)).one()
    assert ticket_page.request.path == f"/tickets/{ticket.id}"
    assert "Ticket #1 opened: The hat clips through the hair" in flashes(ticket_page)
    assert (ticket.reporter, ticket.status.code, ticket.priority.value) == (artist, "NEW", "MAJOR")
    assert [link.task for link in ticket.links] == [sh010]


def test_a_version_page_opens_a_ticket_about_the_version(factory, testapp, project, artist, shot):
    version = factory.version(shot)
    page = logged_in(testapp, artist).get(f"/versions/{version.id}")
    form_page = testapp.get(page.html.find(id="new-ticket-link")["href"])
    assert text_of(form_page, "ticket-links") == (
        f"About Version {project.code} / Animation · r01 v001"
    )


def test_a_task_of_another_project_is_not_found(factory, testapp, project, artist):
    elsewhere = factory.task(name="Elsewhere")
    logged_in(testapp, artist)
    testapp.get(f"/projects/{project.id}/tickets/new?task={elsewhere.id}", status=404)
    testapp.get(f"/projects/{project.id}/tickets/new?version=nonsense", status=404)


def test_a_ticket_is_given_to_a_member_typed_by_login_and_related(
    dbsession, factory, testapp, project, artist, lead
):
    first = factory.ticket(project, lead)
    form = (
        logged_in(testapp, artist).get(f"/projects/{project.id}/tickets/new").forms["ticket-form"]
    )
    form["summary"] = "Lights flicker"
    form["owner_logins"] = lead.login
    form["related"] = f"#{first.number}"
    form.submit(status=303)
    ticket = dbsession.scalars(select(Ticket).where(Ticket.number == 2)).one()
    assert (ticket.owner, ticket.related_tickets) == (lead, [first])


def test_refusals_are_said_beside_their_fields(factory, testapp, project, artist, lead):
    stranger = factory.user(name="Sam Stranger")
    form = (
        logged_in(testapp, artist).get(f"/projects/{project.id}/tickets/new").forms["ticket-form"]
    )
    form["summary"] = ""
    refused = form.submit(status=400)
    assert "Say in one line what the ticket is about." in text_of(refused, "error-summary")

    form = refused.forms["ticket-form"]
    form["summary"] = "Lights flicker"
    form["owner_logins"] = f"{lead.login}, {stranger.login}"
    refused = form.submit(status=400)
    assert "Choose one person only: a ticket has one owner." in text_of(refused, "owner-errors")

    form = refused.forms["ticket-form"]
    form["owner_logins"] = stranger.login
    form["related"] = "#7"
    refused = form.submit(status=400)
    assert "Sam Stranger is not on the team of Film" in text_of(refused, "owner-errors")

    form = refused.forms["ticket-form"]
    form["owner_logins"] = ""
    refused = form.submit(status=400)
    assert "Film has no Ticket #7." in text_of(refused, "related-errors")
    assert refused.forms["ticket-form"]["summary"].value == "Lights flicker"


def test_the_owner_picker_offers_the_team_only(factory, testapp, project, artist, lead):
    factory.user(name="Leonard Outside")
    logged_in(testapp, artist)
    url = f"/users/search.json?q=Le&project_id={project.id}"
    everybody = [user["name"] for user in testapp.get(url).json["users"]]
    team = [user["name"] for user in testapp.get(f"{url}&members_only=1").json["users"]]
    assert sorted(everybody) == ["Lead", "Leonard Outside"] and team == ["Lead"]
