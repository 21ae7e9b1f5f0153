"""A ticket's page: its fields and inert Markdown description, the workflow's actions allowed now
as buttons and the others said once in words, performing them (with the resolution or the new
owner beside the button), the log in words, editing on a stale page, links, related tickets and
comments."""

import pytest
import webtest

from stalker_web import main
from stalker_web.config import CONFIG_ENV_VAR, CONFIG_SETTING
from stalker_web.services.tickets.actions import perform_action

from ...pages import form_posting_to
from .helpers import flashes, logged_in, text_of

HOSTILE = """Hello <script>alert("x")</script> and <img src=x onerror="alert(1)">

[click me](javascript:alert(1)) and [fine](https://example.com/ok)

<a href="javascript:alert(2)" onclick="alert(3)">raw link</a> <iframe src="https://evil.example"></iframe>
"""


def action_buttons(page) -> list[str]:
    actions = page.html.find(id="ticket-workflow")
    return [button.get_text(strip=True) for button in actions.select("#ticket-actions button")]


def refused(page) -> list[str]:
    listed = page.html.find(id="ticket-refused")
    return [item.get_text(" ", strip=True) for item in listed("li")] if listed else []


def test_the_page_shows_the_ticket_and_what_can_be_done_now(testapp, project, artist, ticket):
    page = logged_in(testapp, artist).get(f"/tickets/{ticket.id}")
    heading = page.html.h1
    assert "Ticket #1" in heading.get_text() and "The hat clips" in heading.get_text()
    assert heading.find(class_="status").get_text() == "New"
    details = text_of(page, "ticket-details")
    assert "Owner nobody yet" in details and "Reported by Artist" in details
    assert action_buttons(page) == ["Resolve", "Accept", "Reassign"]
    accept = page.html.find(id="action-accept").get_text(" ", strip=True)
    assert accept == "Accept It becomes Accepted and you become its owner."
    assert refused(page) == ["Reopen: only a Closed ticket can be reopened; this one is New."]
    assert page.text.count("only a Closed ticket can be reopened") == 1
    assert text_of(page, "ticket-links").startswith(f"About Shot {project.code} / SH010")
    assert "Artist opened it as New" in text_of(page, "ticket-history")


def test_the_owner_resolves_and_the_reporter_reopens(dbsession, testapp, lead, artist, ticket):
    page = logged_in(testapp, lead).get(f"/tickets/{ticket.id}")
    page = page.forms["action-accept"].submit(status=303).follow()
    assert "Accept: Ticket #1 is now Accepted." in flashes(page)
    assert text_of(page, "ticket-owner") == "Lead"

    form = page.forms["action-resolve"]
    form["resolution"] = "fixed"
    page = form.submit(status=303).follow()
    assert (ticket.status.code, ticket.resolution) == ("CLS", "fixed")
    assert action_buttons(page) == ["Reopen"]
    assert refused(page)[0] == (
        "Resolve: only a New, Accepted, Assigned or Reopened ticket can be resolved; "
        "this one is Closed."
    )

    testapp.reset()
    page = logged_in(testapp, artist).get(f"/tickets/{ticket.id}")
    page = page.forms["action-reopen"].submit(status=303).follow()
    assert ticket.status.code == "ROP" and ticket.resolution == ""
    history = text_of(page, "ticket-history")
    assert "Lead resolved it Status: Accepted → Closed Resolution: none → fixed" in history
    assert "Artist reopened it Status: Closed → Reopened" in history


def test_resolve_without_a_resolution_is_refused_beside_the_select(testapp, lead, ticket):
    page = logged_in(testapp, lead).get(f"/tickets/{ticket.id}")
    refused_page = page.forms["action-resolve"].submit(status=400)
    assert "Choose how the ticket was resolved." in text_of(refused_page, "resolution-errors")
    summary = refused_page.html.find(id="error-summary")
    assert summary.a["href"] == "#resolution" and "Choose how" in summary.get_text()
    assert ticket.status.code == "NEW"


def test_a_damaged_action_form_is_refused_saying_so(testapp, lead, ticket):
    page = logged_in(testapp, lead).get(f"/tickets/{ticket.id}")
    form = page.forms["action-accept"]
    form["version_id"].force_value("9" * 3000)
    refused_page = form.submit(status=400)
    assert "This form came back damaged." in text_of(refused_page, "error-summary")
    assert ticket.status.code == "NEW"


def test_reassign_takes_a_member_from_the_picker(testapp, factory, lead, artist, ticket):
    page = logged_in(testapp, lead).get(f"/tickets/{ticket.id}")
    picker = page.html.find(id="owner-picker")
    assert picker.has_attr("data-members-only") and picker.has_attr("data-single")
    form = page.forms["action-reassign"]
    form["owner_logins"] = factory.user(name="Sam Stranger").login
    refused_page = form.submit(status=400)
    assert "Sam Stranger is not on the team of Film" in text_of(refused_page, "owner-errors")
    assert refused_page.html.find(id="error-summary").a["href"] == "#owner-search"
    form = refused_page.forms["action-reassign"]
    form["owner_logins"] = artist.login
    form.submit(status=303)
    assert (ticket.status.code, ticket.owner) == ("ASG", artist)


def test_a_refused_move_is_flashed_and_changes_nothing(testapp, lead, ticket):
    logged_in(testapp, lead)
    page = testapp.get(f"/tickets/{ticket.id}")
    token = page.forms["action-accept"]["csrf_token"].value
    response = testapp.post(
        f"/tickets/{ticket.id}/actions/reopen",
        {"csrf_token": token, "version_id": ticket.version_id},
        status=303,
    ).follow()
    assert "Reopen: only a Closed ticket can be reopened; this one is New." in flashes(response)
    testapp.post(f"/tickets/{ticket.id}/actions/fly", {"csrf_token": token}, status=404)


def test_an_action_from_a_stale_page_is_refused(dbsession, factory, testapp, lead, ticket):
    page = logged_in(testapp, lead).get(f"/tickets/{ticket.id}")
    perform_action(
        dbsession, factory.ticket_workflow(), ticket, lead, "accept",
        submitted_version=ticket.version_id,
    )  # fmt: skip
    answer = page.forms["action-reassign"].submit(status=303).follow()
    assert "was changed by someone else since you opened this page" in flashes(answer)
    assert ticket.status.code == "ACP"


def test_someone_off_the_team_is_told_why_they_cannot_accept(testapp, admin, ticket):
    page = logged_in(testapp, admin).get(f"/tickets/{ticket.id}")
    assert "Accept" not in action_buttons(page)
    assert (
        "Accept: only a member of the team of Film can take a ticket on; you are not on it."
        in refused(page)
    )


def test_the_description_renders_markdown_inert(factory, testapp, project, artist):
    ticket = factory.ticket(project, artist, summary="<b>Bold</b> summary", description=HOSTILE)
    page = logged_in(testapp, artist).get(f"/tickets/{ticket.id}")
    description = page.html.find(id="ticket-description")
    assert description.find("script") is None and description.find("iframe") is None
    assert description.find("img") is None
    assert all(not name.startswith("on") for tag in description.find_all() for name in tag.attrs)
    hrefs = [a.get("href") for a in description.find_all("a")]
    assert hrefs == ["https://example.com/ok"]  # the javascript: links stay words
    assert "[click me](javascript:alert(1))" in description.get_text()
    assert '<script>alert("x")</script>' in description.get_text()  # raw HTML shown as text
    assert page.html.h1.find("b") is None and "<b>Bold</b> summary" in page.html.h1.get_text()


def test_editing_saves_and_a_stale_page_is_refused(testapp, factory, lead, artist, ticket):
    logged_in(testapp, artist)
    first = testapp.get(f"/tickets/{ticket.id}/edit").forms["ticket-form"]
    second = testapp.get(f"/tickets/{ticket.id}/edit").forms["ticket-form"]
    first["summary"] = "The hat clips in SH010"
    first["priority"] = "CRITICAL"
    page = first.submit(status=303).follow()
    assert "Ticket #1 saved." in flashes(page)
    assert "Priority: Trivial → Critical" in text_of(page, "ticket-history")

    second["summary"] = "Something else"
    stale = second.submit(status=400)
    assert "Ticket #1 was changed by someone else since you opened this page" in text_of(
        stale, "error-summary"
    )
    assert ticket.summary == "The hat clips in SH010"


def test_links_are_found_added_and_removed(factory, testapp, project, lead, ticket, sh010):
    version = factory.version(sh010.children[0])
    logged_in(testapp, lead)
    page = testapp.get(f"/tickets/{ticket.id}?find=r01+v001")
    found = page.html.find(id="link-found").get_text(" ", strip=True)
    assert f"Version {project.code} / SH010 / Animation · r01 v001" in found
    form = form_posting_to(page, f"http://example.com/tickets/{ticket.id}/links")
    form["link"] = f"version:{version.id}"
    page = form.submit(status=303).follow()
    assert "r01 v001" in text_of(page, "ticket-links")

    remove = page.html.find(id="ticket-links").find_all("form")[0]["action"]
    page = form_posting_to(page, remove).submit(status=303).follow()
    assert f"Ticket #1 is no longer linked to {project.code} / SH010." in flashes(page)
    nothing = testapp.get(f"/tickets/{ticket.id}?find=zzz")
    assert text_of(nothing, "link-found") == "Nothing in Film matches “zzz”."


def test_related_tickets_are_added_both_ways_and_removed(factory, testapp, project, artist, ticket):
    other = factory.ticket(project, artist, summary="Hair sim explodes")
    page = logged_in(testapp, artist).get(f"/tickets/{ticket.id}")
    form = page.forms["related-form"]
    form["related"] = "#2"
    page = form.submit(status=303).follow()
    assert "Ticket #1 is related to Ticket #2." in flashes(page)
    assert "Hair sim explodes" in text_of(page, "ticket-related")
    assert "The hat clips" in text_of(testapp.get(f"/tickets/{other.id}"), "ticket-related")

    form = page.forms["related-form"]
    form["related"] = "#1"
    page = form.submit(status=303).follow()
    assert "A ticket cannot be related to itself." in flashes(page)
    remove = f"http://example.com/tickets/{ticket.id}/related/{other.id}/remove"
    page = form_posting_to(page, remove).submit(status=303).follow()
    assert "Ticket #1 and Ticket #2 are no longer related." in flashes(page)


def test_a_comment_is_a_note_on_the_ticket(testapp, artist, ticket):
    page = logged_in(testapp, artist).get(f"/tickets/{ticket.id}")
    form = page.forms["comments-form"]
    form["content"] = "Seen again in **SH020**."
    page = form.submit(status=303).follow()
    note = page.html.find(id="comments").find(class_="note-text")
    assert note.get_text(" ", strip=True).startswith("Seen again in")
    assert note.strong.get_text() == "SH020"


@pytest.fixture(name="studio_app")
def studio_app_fixture(app_settings, tm, dbsession, tmp_path, monkeypatch):
    """The app of a studio whose ticket workflow adds "send_to_client" (Assigned → On Hold)."""
    monkeypatch.delenv(CONFIG_ENV_VAR, raising=False)
    path = tmp_path / "studio.toml"
    path.write_text(
        '[status_lists]\nTicket = ["NEW", "ASG", "OH", "CLS"]\n'
        '[tickets.workflow.reassign]\nNEW = "ASG"\n'
        '[tickets.workflow.send_to_client]\nASG = "OH"\n'
        '[tickets.workflow.resolve]\nOH = "CLS"\nASG = "CLS"\n',
        encoding="utf-8",
    )
    app = main({}, **{**app_settings, CONFIG_SETTING: str(path)})
    return webtest.TestApp(
        app,
        extra_environ={
            "HTTP_HOST": "example.com",
            "tm.active": True,
            "tm.manager": tm,
            "app.dbsession": dbsession,
        },
    )


def test_a_studio_action_of_the_config_file_is_offered_and_done(
    studio_app, testapp, factory, project, artist, lead, ticket
):
    page = logged_in(studio_app, lead).get(f"/tickets/{ticket.id}")
    assert action_buttons(page) == ["Reassign"]
    assert refused(page) == [
        "Send to client: only an Assigned ticket can take this step; this one is New.",
        "Resolve: only an Assigned or On Hold ticket can be resolved; this one is New.",
    ]
    form = page.forms["action-reassign"]
    form["owner_logins"] = artist.login
    page = form.submit(status=303).follow()
    assert action_buttons(page) == ["Send to client", "Resolve"]
    page = page.forms["action-send_to_client"].submit(status=303).follow()
    assert ticket.status.code == "OH"
    assert "Lead chose “Send to client” Status: Assigned → On Hold" in text_of(
        page, "ticket-history"
    )
