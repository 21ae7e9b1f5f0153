"""The supervisor's loop in a real browser (issue 14): a lead builds a daily from the versions
published today and asks for a revision of one with a note; the artist reads it in the inbox,
opens a ticket on the shot for the lead; the lead resolves it, the artist reopens it, the lead
closes it."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from stalker_web.config import load_studio_config
from stalker_web.db import get_engine, get_session_factory
from stalker_web.services.versions.versions import create_version, set_published
from stalker_web.services.workflow.reviews import request_review
from stalker_web.services.workflow.time_logs import create_time_log

from ..factories import Factory
from ..factories.projects import member
from .test_admin_flow import log_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def loop_setup(live_settings):
    """A film with a lead (a role managing the project, responsible for the shot) and an artist
    (resource of the shot's Animation), who published a version today and asked for a review;
    committed to the live database."""
    engine = get_engine(live_settings)
    with get_session_factory(engine)() as dbsession:
        factory = Factory(dbsession, load_studio_config())
        lead = factory.user(name="Loop Lead", login="looplead")
        artist = factory.user(name="Loop Artist", login="loopartist")
        project = factory.project(name="Loop Film", code="LPF")
        member(project, lead, factory.role("Loop Supervisor", manages_project=True))
        member(project, artist)
        sequence = factory.task("Sequence", project=project, name="SQ01")
        shot = factory.task(
            "Shot", project=project, parent=sequence, name="SH010", responsible=[lead]
        )
        animation = factory.task(
            project=project, parent=shot, name="Animation", resources=[artist], schedule_timing=4
        )
        start = datetime(2026, 3, 2, 9, tzinfo=UTC)
        create_time_log(dbsession, animation, artist, start, start + timedelta(hours=3))
        version = create_version(dbsession, animation, description="Blocking pass")
        dbsession.flush()
        set_published(dbsession, version, True, submitted_version=version.version_id)
        request_review(dbsession, animation, artist, version, note="First blocking pass.")
        ids = {"project": project.id, "shot": shot.id, "animation": animation.id}
        dbsession.commit()
    engine.dispose()
    return ids


def log_out(page):
    page.get_by_role("button", name="Log out").click()


def act_on_ticket(page, ticket_url, action, outcome, resolution=None):
    page.goto(ticket_url)
    if resolution is not None:
        page.select_option("#resolution", resolution)
    page.locator(f"#action-{action} button").click()
    expect(page.get_by_role("heading", level=1).locator(".status")).to_have_text(outcome)


def test_a_daily_revision_becomes_a_ticket_resolved_reopened_and_closed(
    page, live_server, loop_setup
):
    log_in(page, live_server, "looplead", Factory.PASSWORD)
    page.goto(f"{live_server}/projects/{loop_setup['project']}/dailies")
    page.fill("#name", "Animation dailies, today")
    page.get_by_role("button", name="Start the daily").click()
    page.fill("#since", datetime.now(UTC).strftime("%Y-%m-%d 00:00"))
    page.get_by_role("button", name="Collect them").click()
    expect(page.locator("#daily-versions")).to_contain_text("SH010")
    page.get_by_role("link", name="Walk through the versions").click()
    expect(page.locator("h1")).to_contain_text("Animation")
    page.fill("#answer-description", "Hold the anticipation **four frames** longer.")
    page.get_by_role("button", name="Ask for a revision").click()
    expect(
        page.get_by_text(re.compile("Revision asked on LPF / SQ01 / SH010 / Animation"))
    ).to_be_visible()
    log_out(page)

    log_in(page, live_server, "loopartist", Factory.PASSWORD)
    page.goto(f"{live_server}/inbox")
    notice = page.locator("main li", has_text="Animation").first
    expect(notice).to_contain_text("Loop Lead asked for changes to LPF / SQ01 / SH010 / Animation")
    page.goto(f"{live_server}/tasks/{loop_setup['shot']}")
    page.click("#new-ticket-link")
    page.fill("#summary", "The rig's elbow pops when holding the pose longer")
    page.fill("#description", "Needed for the revision asked in today's daily.")
    page.fill("#owner-search", "Loop Lead")
    page.wait_for_selector("#owner-options li")
    page.keyboard.press("Enter")
    page.click("#ticket-form button[type=submit]")
    expect(page.get_by_role("heading", level=1)).to_contain_text("elbow pops")
    ticket_url = page.url
    expect(page.locator("main")).to_contain_text("Loop Lead")
    log_out(page)

    log_in(page, live_server, "looplead", Factory.PASSWORD)
    act_on_ticket(page, ticket_url, "resolve", "Closed", resolution="fixed")
    log_out(page)

    log_in(page, live_server, "loopartist", Factory.PASSWORD)
    act_on_ticket(page, ticket_url, "reopen", "Reopened")
    log_out(page)

    log_in(page, live_server, "looplead", Factory.PASSWORD)
    act_on_ticket(page, ticket_url, "resolve", "Closed", resolution="fixed")
    expect(page.locator("main")).to_contain_text("Loop Artist")
