"""Accessibility (WCAG 2.1 AA) of the demo studio in a real browser: axe-core over every page each
kind of person reaches, and the keyboard alone driving the top bar, the tree, the board and a
refused form.

The walks photograph each page under ``var/screenshots/pages/<login>/``.
"""

import re

import pytest
from playwright.sync_api import expect

from ..factories import Factory
from .accessibility import walk
from .conftest import LIVE_ADMIN_LOGIN
from .test_admin_flow import log_in

pytestmark = pytest.mark.browser
# The live database is a copy of the demo studio (conftest.demo_template).
DEMO_STUDIO = True
DEMO_PASSWORD = "demo-password"
# Who walks the demo: its administrator, a producer, a department lead and an artist.
PEOPLE = {
    LIVE_ADMIN_LOGIN: Factory.PASSWORD,
    "production1": DEMO_PASSWORD,
    "animation1": DEMO_PASSWORD,
    "animation3": DEMO_PASSWORD,
}


@pytest.fixture
def wide_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.mark.parametrize("login", PEOPLE)
def test_every_page_a_person_reaches_has_no_serious_accessibility_violation(
    request, wide_page, live_server, live_demo, login
):
    if request.config.getoption("--db-url") != "sqlite":
        pytest.skip("the pages' markup does not depend on the database: walked on SQLite only")
    log_in(wide_page, live_server, login, PEOPLE[login])
    record = walk(wide_page, live_server, login)

    # The walk reached the pages of the person's day, not just the home page.
    assert "/my/tasks" in record.visited
    assert any(re.fullmatch(r"/projects/\d+", path) for path in record.visited)
    assert len(record.visited) >= 15
    assert record.findings == [], "\n".join(str(finding) for finding in record.findings)


def test_the_top_bar_fits_1280_px_and_folds_behind_a_menu_button_on_a_phone(
    browser, live_server, live_demo
):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    log_in(page, live_server, LIVE_ADMIN_LOGIN, Factory.PASSWORD)
    log_out = page.get_by_role("button", name="Log out")
    expect(log_out).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.locator(".topbar").bounding_box()["height"] < 60, "the top bar wrapped at 1280 px"

    page.set_viewport_size({"width": 320, "height": 640})
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="My tasks")).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="My tasks")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_the_admin_menu_opens_and_closes_with_the_keyboard(wide_page, live_server, live_demo):
    log_in(wide_page, live_server, LIVE_ADMIN_LOGIN, Factory.PASSWORD)
    # The home page and its deferred script (which closes the menu on Escape) are in.
    wide_page.wait_for_url(f"{live_server}/")
    wide_page.wait_for_load_state("load")
    navigation = wide_page.get_by_role("navigation", name="Main")
    users = navigation.get_by_role("link", name="Users")
    expect(users).to_be_hidden()
    navigation.get_by_text("Admin", exact=True).focus()
    wide_page.keyboard.press("Enter")
    expect(users).to_be_visible()
    wide_page.keyboard.press("Escape")
    expect(users).to_be_hidden()
    assert wide_page.evaluate("document.activeElement.textContent.trim()") == "Admin"

    wide_page.keyboard.press("Enter")
    users.focus()
    wide_page.keyboard.press("Enter")
    expect(wide_page).to_have_url(re.compile(r"/users$"))


def test_the_task_tree_expands_with_the_keyboard_and_keeps_the_focus(
    wide_page, live_server, live_demo
):
    log_in(wide_page, live_server, "production1", DEMO_PASSWORD)
    wide_page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    wide_page.locator("main").get_by_role("link", name="The Lighthouse Keeper").first.click()
    wide_page.get_by_role("link", name="Task tree").click()
    toggle = wide_page.locator("button[data-children-url]").first
    label = toggle.get_attribute("aria-label")
    rows_before = wide_page.locator("table tbody tr").count()

    toggle.focus()
    wide_page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert wide_page.locator("table tbody tr").count() > rows_before
    # The focus stayed on the button (it was never disabled while the rows loaded).
    assert wide_page.evaluate("document.activeElement.getAttribute('aria-label')") == label

    # The rows shown sit right under the task, one level deeper.
    depths = toggle.evaluate(
        "button => { const row = button.closest('tr');"
        " return [row.dataset.depth, row.nextElementSibling.dataset.depth].map(Number); }"
    )
    assert depths[1] == depths[0] + 1

    toggle.focus()
    wide_page.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(wide_page.locator("table tbody tr")).to_have_count(rows_before)


def test_the_board_is_driven_with_the_keyboard(wide_page, live_server, live_demo):
    log_in(wide_page, live_server, "production1", DEMO_PASSWORD)
    wide_page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    wide_page.locator("main").get_by_role("link", name="The Lighthouse Keeper").first.click()
    wide_page.get_by_role("link", name="Production board").first.click()
    cells = wide_page.locator('input[name="task_ids"]')
    for index in (0, 1):
        cells.nth(index).focus()
        wide_page.keyboard.press("Space")
        expect(cells.nth(index)).to_be_checked()
    expect(wide_page.locator("#bulk-count")).to_have_text(
        "2 cells ticked. Choose what to do with them."
    )

    wide_page.locator("#bulk-priority").focus()
    wide_page.keyboard.press("Control+A")
    wide_page.keyboard.type("750")
    wide_page.keyboard.press("Tab")
    assert wide_page.evaluate("document.activeElement.textContent") == "Set priority"
    wide_page.keyboard.press("Enter")
    expect(wide_page.locator(".flash.info")).to_have_text("Set the priority of 2 tasks to 750.")


def test_a_refused_form_puts_the_focus_on_a_summary_linking_each_field(
    wide_page, live_server, live_demo
):
    log_in(wide_page, live_server, "production1", DEMO_PASSWORD)
    wide_page.goto(f"{live_server}/profile/password")
    wide_page.get_by_label("Current password").focus()
    for typed in ("not my password", "a lantern over the sea", "a lantern over the sea"):
        wide_page.keyboard.type(typed)
        wide_page.keyboard.press("Tab")
    wide_page.keyboard.press("Enter")

    summary = wide_page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")
    link.focus()
    wide_page.keyboard.press("Enter")
    expect(wide_page).to_have_url(re.compile(re.escape(target) + "$"))
