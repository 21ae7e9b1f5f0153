"""The searching user picker in a real browser.

A producer creates a task in a studio of 2,000 people: typing "an" in the Resources picker lists
the matches (the project's people first), the keyboard picks Ann, the task is saved and its page
lists Ann. Screenshots at 1280 px wide go into ``$STALKER_WEB_SHOTS`` when set, else a temporary
directory (``test_demo_pickers_flow.py`` does the same on the demo studio).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from stalker_web.config import load_studio_config
from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import (
    ProjectUser,
)
from stalker_web.services.studio.initial_data import ensure_default_groups

from ..factories import Factory
from ..factories.accounts import cheap_users
from .test_admin_flow import log_in

pytestmark = pytest.mark.browser
WIDTH = 1280
DEMO_PASSWORD = "demo-password"


@pytest.fixture(scope="module")
def picker_studio(live_settings):
    """Lighthouse, with its producer, Ann and Dan Brown on the team; Joanna elsewhere; 2,000
    other people. Returns the project id."""
    config = load_studio_config()
    engine = get_engine(live_settings)
    with get_session_factory(engine)() as dbsession:
        factory = Factory(dbsession, config)
        groups = ensure_default_groups(dbsession, config["accounts"]["default_groups"])
        producers = next(group for group in groups if group.name == "Producers")
        producer = factory.user("pickproducer", name="Pia Producer", groups=[producers])
        ann = factory.user("pickann", name="Ann")
        dan = factory.user("pickdan", name="Dan Brown")
        factory.user("pickjoanna", name="Joanna Outside")
        cheap_users(dbsession, 2000)
        project = factory.project(name="Lighthouse", code="LHT")
        project.members.extend(
            [
                ProjectUser(user=producer, role=factory.role("Producer")),
                ProjectUser(user=ann),
                ProjectUser(user=dan),
            ]
        )
        dbsession.commit()
        project_id = project.id
    engine.dispose()
    return project_id


def shots_directory(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("STALKER_WEB_SHOTS") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def shoot(page, directory: Path, name: str) -> None:
    page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


def new_page(browser, *, javascript: bool = True):
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_a_producer_picks_ann_with_the_keyboard(browser, live_server, picker_studio, tmp_path):
    directory = shots_directory(tmp_path)
    context, page = new_page(browser)
    log_in(page, live_server, "pickproducer", Factory.PASSWORD)
    page.goto(f"{live_server}/projects/{picker_studio}/tasks/new")
    page.get_by_label("Name").fill("Layout")
    search = page.get_by_role("combobox", name="Search people to add").first
    search.press_sequentially("an")
    options = page.get_by_role("listbox", name="People matching").first.get_by_role("option")
    expect(options.first).to_contain_text("Ann (pickann)")
    # The team first (Ann, Dan Brown), then the others (Joanna Outside).
    expect(options).to_have_count(3)
    expect(options.nth(1)).to_contain_text("Dan Brown")
    search.press("ArrowDown")
    search.press("ArrowUp")
    expect(search).to_have_attribute("aria-expanded", "true")
    expect(options.first).to_have_attribute("aria-selected", "true")
    shoot(page, directory, "flow_create_picker_open")
    search.press("Enter")
    chosen = page.locator("#resources-chosen")
    expect(chosen.get_by_role("checkbox", name="Ann")).to_be_checked()
    expect(search).to_have_attribute("aria-expanded", "false")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_text("Task LHT / Layout created.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ann")
    shoot(page, directory, "flow_task_page_with_ann")
    context.close()
