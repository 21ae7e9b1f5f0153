"""A producer's first breakdown in a real browser: a project, a sequence, ten shots by range,
then the task tree with the sequence expanded in place."""

import pytest
from playwright.sync_api import expect

from ..factories import Factory
from .conftest import LIVE_ADMIN_LOGIN
from .test_admin_flow import log_in

pytestmark = pytest.mark.browser


def test_a_project_gets_a_sequence_and_ten_shots_seen_in_the_tree(page, live_server):
    log_in(page, live_server, LIVE_ADMIN_LOGIN, Factory.PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Name").fill("Browser Film")
    page.get_by_label("Code").fill("BRF")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="Browser Film")).to_be_visible()

    page.get_by_role("link", name="Task tree").click()
    page.get_by_role("link", name="New task").click()
    page.get_by_label("Kind").select_option("Sequence")
    page.get_by_label("Name").fill("Opening")
    page.get_by_label("Code").fill("SQ010")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Opening")

    page.get_by_role("link", name="New shots by range").click()
    page.get_by_label("First number").fill("10")
    page.get_by_label("Last number").fill("100")
    page.get_by_label("Step").fill("10")
    page.get_by_role("button", name="Create shots").click()
    expect(page.get_by_text("10 shots created in SQ010.")).to_be_visible()

    page.get_by_role("link", name="in the task tree").click()
    tree = page.locator("#task-tree")
    expect(tree.locator("tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Show the 10 tasks inside Opening").click()
    expect(tree.locator("tbody tr")).to_have_count(11)
    expect(tree.get_by_role("link", name="SH010")).to_be_visible()
    expect(tree.get_by_role("link", name="SH100")).to_be_visible()
    sequence_toggle = page.get_by_role("button", name="Show the 10 tasks inside Opening")
    expect(sequence_toggle).to_have_attribute("aria-expanded", "true")
    sequence_toggle.click()
    expect(tree.locator("tbody tr")).to_have_count(1)
