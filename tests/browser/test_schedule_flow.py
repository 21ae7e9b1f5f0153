"""Scheduling in a real browser: a producer schedules a project of the demo studio from its
overview, watches the run page follow the run to "succeeded" (a huey worker runs tj3 beside the
live server), then sees the computed bars on the project's Gantt chart."""

import pytest
from playwright.sync_api import expect

from ..factories import Factory
from .conftest import LIVE_ADMIN_LOGIN
from .test_admin_flow import log_in

pytestmark = pytest.mark.browser
# The live database is a copy of the demo studio (conftest.demo_template).
DEMO_STUDIO = True
PROJECT = "Fizz Cola Summer Spot"


def test_a_project_is_scheduled_and_its_gantt_shows_the_bars(page, worker_live_server, live_demo):
    assert PROJECT in live_demo
    log_in(page, worker_live_server, LIVE_ADMIN_LOGIN, Factory.PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    page.get_by_role("link", name=PROJECT).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PROJECT)
    page.get_by_role("button", name="Schedule this project").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Schedule run")
    expect(page.get_by_role("status").first).to_contain_text("is queued")
    # The page polls the run's status and shows the result once the worker is done.
    expect(page.locator("#run-status")).to_have_text("succeeded", timeout=120_000)
    result = page.locator("#run-succeeded")
    expect(result).to_contain_text("tasks got computed dates.")
    expect(page.locator('.run-phases li[aria-current="step"]')).to_have_count(0)

    result.get_by_role("link", name=f"Gantt chart of {PROJECT}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Gantt chart of {PROJECT}")
    # Each root task's bar now carries the dates TaskJuggler computed.
    bars = page.locator(
        "#gantt .gantt-bars rect", has=page.locator("title", has_text="(scheduled)")
    )
    expect(bars.first).to_be_visible()
    assert bars.count() == page.locator("#gantt .gantt-row").count() >= 3

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Schedule").click()
    first_row = page.locator("#schedule-runs tbody tr").first
    expect(first_row).to_contain_text("succeeded")
    expect(first_row).to_contain_text("FIZZ")
