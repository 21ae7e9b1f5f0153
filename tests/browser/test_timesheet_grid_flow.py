"""The weekly hours grid in a real browser.

An artist fills two cells of their week with the keyboard (2.5 h on Monday, 3 h on Tuesday) and
saves: the page comes back with the hours placed as time logs. Too many hours in a day come back
refused beside the cell. The artist submits the week, and the lead of their department sees it
on the department's timesheets page and locks it, then picks their own time zone on their
profile and sees the lock's time in it. The grid, the refusal, the lead's page and the profile
are screenshot at 1280 px wide (into ``$STALKER_WEB_SHOTS`` when set, else a temporary directory).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from stalker_web.config import load_studio_config
from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import ProjectUser

from ..factories import Factory
from .test_admin_flow import log_in

pytestmark = pytest.mark.browser
WIDTH = 1280
WEEK = "2026-W10"


@pytest.fixture(scope="module")
def grid_studio(live_settings):
    """An artist with two tasks of the Harbour project, in the Animation department led by
    Lea; returns the department's id."""
    engine = get_engine(live_settings)
    with get_session_factory(engine)() as dbsession:
        factory = Factory(dbsession, load_studio_config())
        artist = factory.user("gridartist", name="Gil Artist")
        lead = factory.user("gridlead", name="Lea Lead")
        project = factory.project(name="Harbour", code="HBR")
        project.members.append(ProjectUser(user=artist))
        factory.task(project=project, name="Layout", resources=[artist])
        factory.task(project=project, name="Animation", resources=[artist])
        role = factory.role("Animation Lead", manages_department=True)
        department = factory.department("Animation", members=[artist, (lead, role)])
        dbsession.commit()
        department_id = department.id
    engine.dispose()
    return department_id


def shoot(page, name: str) -> None:
    directory = Path(os.environ.get("STALKER_WEB_SHOTS") or page.context.tmp_dir)
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


def test_an_artist_fills_the_grid_with_the_keyboard_and_a_lead_locks_the_week(
    page, live_server, grid_studio, tmp_path
):
    page.context.tmp_dir = tmp_path
    page.set_viewport_size({"width": WIDTH, "height": 900})
    log_in(page, live_server, "gridartist", Factory.PASSWORD)
    page.goto(f"{live_server}/my/timesheet?week={WEEK}")
    monday = page.get_by_label("HBR / Animation, Monday 02 March")
    monday.focus()
    page.keyboard.type("2.5")
    page.keyboard.press("Tab")
    expect(page.get_by_label("HBR / Animation, Tuesday 03 March")).to_be_focused()
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(page.locator(".flash").first).to_contain_text("Your week is saved (2 days changed).")
    expect(page.get_by_label("HBR / Animation, Monday 02 March")).to_have_value("2.5")
    monday_logs = page.locator("#timesheet td[data-day='2026-03-02']")
    expect(monday_logs).to_contain_text("09:00–11:30 UTC")
    expect(page.locator("#timesheet td[data-day='2026-03-03']")).to_contain_text("09:00–12:00")
    shoot(page, "grid-artist")

    page.get_by_label("HBR / Layout, Wednesday 04 March").fill("12")
    page.get_by_role("button", name="Save the week").click()
    expect(page.locator("#grid-errors")).to_contain_text(
        "HBR / Layout, Wed 04 Mar: 12 h do not fit in the day's 9 h of working hours."
    )
    expect(page.get_by_label("HBR / Layout, Wednesday 04 March")).to_have_value("12")
    shoot(page, "grid-errors")

    page.goto(f"{live_server}/my/timesheet?week={WEEK}")
    page.get_by_role("button", name="Submit the week to my leads").click()
    expect(page.locator("#week-state")).to_contain_text("submitted")
    page.get_by_role("button", name="Log out").click()

    log_in(page, live_server, "gridlead", Factory.PASSWORD)
    page.goto(f"{live_server}/departments/{grid_studio}/timesheets?week={WEEK}")
    row = page.locator("#department-weeks tr", has_text="Gil Artist")
    expect(row).to_contain_text("5.5 h")
    row.get_by_role("button", name="Lock Gil Artist's week").click()
    expect(page.locator(".flash").first).to_contain_text("Gil Artist's week 2026-W10 is locked.")
    expect(row).to_contain_text("locked by Lea Lead")
    shoot(page, "lead-page")

    page.goto(f"{live_server}/profile")
    page.get_by_label("My time zone").fill("Asia/Kolkata")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("My time zone")).to_have_value("Asia/Kolkata")
    shoot(page, "profile-zone")
    page.goto(f"{live_server}/departments/{grid_studio}/timesheets?week={WEEK}")
    expect(row).to_contain_text(" IST")  # the lock's time, in the lead's own zone now
