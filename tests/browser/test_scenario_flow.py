"""What-if scenarios in a real browser, with a huey worker running tj3 beside the live server.

The studio: Ann alone does Model (3 days) and then Rig (3 days) of "Lighthouse"; the milestone
Delivery waits for both, and the live plan is scheduled. A producer (the default Producers group,
manager of Lighthouse, allowed to create users) creates a scenario, adds a freelancer, gives
them Rig, schedules the scenario, waits for its run, compares it (Delivery is earlier), promotes
it and lands on the live run, which ends with the freelancer's account on Rig. A user without
the scenario rights gets the 403 page. Each page is saved as a screenshot at 1280 px wide.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from stalker_web.config import load_studio_config
from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import ProjectUser, Task, User
from stalker_web.services.scheduling.runs import execute_run, request_run
from stalker_web.services.studio.initial_data import ensure_default_groups
from stalker_web.services.tasks.dependencies import add_dependency

from ..factories import Factory
from .conftest import LIVE_ADMIN_LOGIN
from .test_admin_flow import log_in

pytestmark = pytest.mark.browser
WIDTH = 1280


@pytest.fixture(scope="module")
def scenario_studio(live_settings):
    """The module docstring's studio, committed, with the live plan scheduled by tj3."""
    config = load_studio_config()
    engine = get_engine(live_settings)
    session_factory = get_session_factory(engine)
    with session_factory() as dbsession:
        factory = Factory(dbsession, config)
        groups = ensure_default_groups(dbsession, config["accounts"]["default_groups"])
        producers = next(group for group in groups if group.name == "Producers")
        hiring = factory.group(
            "Hiring", permissions=[factory.permission("Allow", "Create", "User")]
        )
        producer = factory.user("flowproducer", name="Flow Producer", groups=[producers, hiring])
        factory.user("flowartist", name="Flow Artist")
        ann = factory.user("flowann", name="Ann")
        project = factory.project(name="Lighthouse", code="LHT")
        manager = factory.role("Producer")
        project.members.extend([ProjectUser(user=producer, role=manager), ProjectUser(user=ann)])
        model = factory.task(
            project=project, name="Model", resources=[ann], schedule_timing=3, schedule_unit="d"
        )
        rig = factory.task(
            project=project, name="Rig", resources=[ann], schedule_timing=3, schedule_unit="d"
        )
        delivery = factory.task(project=project, name="Delivery", is_milestone=True)
        add_dependency(dbsession, delivery, model)
        add_dependency(dbsession, delivery, rig)
        run, _created = request_run(dbsession, None, None)
        dbsession.commit()
        run_id, rig_id = run.id, rig.id
    run = execute_run(session_factory, run_id, live_settings)
    assert run.status.value == "succeeded", run.error
    yield {"rig_id": rig_id, "session_factory": session_factory}
    engine.dispose()


def shoot(page, directory: Path, name: str) -> None:
    page.screenshot(path=str(directory / f"{name}.png"), full_page=True)


def test_a_producer_tries_a_freelancer_compares_and_promotes(
    browser, worker_live_server, scenario_studio, tmp_path
):
    base = worker_live_server
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, "flowproducer", Factory.PASSWORD)

    # From the schedule page to the scenarios; the empty list says what a scenario is.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Schedule").click()
    page.get_by_role("link", name="What-if scenarios").click()
    expect(page.locator("#no-scenarios")).to_contain_text("a copy of the plan")
    shoot(page, tmp_path, "01-scenarios-empty")

    page.get_by_label("Name").fill("Freelance rigger")
    page.get_by_label("What it is for").fill("Ann is overbooked: hire help for the rig.")
    page.get_by_role("button", name="Create scenario").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scenario: Freelance rigger")
    expect(page.locator("#never-scheduled")).to_be_visible()

    # A freelancer joins the scenario.
    page.locator("#add-person summary").click()
    page.locator("#person-name").fill("Freelancer Jo")
    page.locator("#person-rate").fill("45")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator("#scenario-people")).to_contain_text("Freelancer Jo")
    shoot(page, tmp_path, "02-scenario")

    # A contract ending before it starts is refused, and what was typed stays.
    page.locator("#add-person summary").click()
    page.locator("#person-name").fill("Freelancer Kim")
    page.locator("#person-available_from").fill("2027-03-31T09:00")
    page.locator("#person-available_until").fill("2027-03-02T09:00")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator("#person-available_until-errors")).to_be_visible()
    expect(page.locator("#person-name")).to_have_value("Freelancer Kim")
    shoot(page, tmp_path, "02b-person-refused")
    page.get_by_role("link", name="Edit Freelancer Jo").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Freelancer Jo")
    shoot(page, tmp_path, "02c-person-edit")
    page.get_by_role("link", name="Freelance rigger").click()

    # They get Rig instead of Ann.
    page.get_by_label("Change a task").fill("rig")
    page.get_by_role("button", name="Find").click()
    expect(page.locator("#found-tasks")).to_contain_text("Rig")
    shoot(page, tmp_path, "03-find-a-task")
    page.locator("#found-tasks").get_by_role("link", name="Change").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rig in scenario Freelance rigger")
    page.get_by_label("Change who works on it").check()
    page.get_by_label("People of the studio").select_option([])
    page.get_by_label("Temporary people of this scenario").select_option(
        label="Freelancer Jo (temporary)"
    )
    shoot(page, tmp_path, "04-change-a-task")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator("#scenario-changes")).to_contain_text("People: Ann → Freelancer Jo")

    # Scheduled in the background: the run page follows it, then links to the comparison.
    page.get_by_role("button", name="Schedule this scenario").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("of scenario Freelance rigger")
    expect(page.locator("#run-status")).to_have_text("succeeded", timeout=120_000)
    shoot(page, tmp_path, "05-scenario-run")
    page.get_by_role("link", name="Compare scenario Freelance rigger with the live plan").click()

    milestone = page.locator("#compare-milestones tbody tr", has_text="Delivery")
    expect(milestone.locator(".earlier")).to_contain_text("earlier")
    expect(page.locator("#compare-projects")).to_contain_text("earlier")
    expect(page.locator("#compare-costs")).to_contain_text("Whole studio")
    shoot(page, tmp_path, "06-compare")

    # Promoting: the page lists the change and asks for Jo's account.
    page.get_by_role("link", name="Freelance rigger").first.click()
    page.get_by_role("link", name="Promote…").click()
    expect(page.locator("#promote-changes")).to_contain_text("People: Ann → Freelancer Jo")
    page.get_by_label("E-mail of Freelancer Jo").fill("jo@example.com")
    shoot(page, tmp_path, "07-promote")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Promote and schedule the studio").click()
    expect(page.get_by_role("status").first).to_contain_text("is now the live plan")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("scenario")
    expect(page.locator("#run-status")).to_have_text("succeeded", timeout=120_000)
    shoot(page, tmp_path, "08-live-run")
    page.goto(f"{base}/scenarios")
    expect(page.locator("#scenarios")).to_contain_text("promoted")
    shoot(page, tmp_path, "10-scenarios-list")
    page.get_by_role("link", name="Freelance rigger").click()
    expect(page.locator("#promoted")).to_contain_text("read only")
    shoot(page, tmp_path, "11-scenario-promoted")

    with scenario_studio["session_factory"]() as dbsession:
        rig = dbsession.get(Task, scenario_studio["rig_id"])
        jo = dbsession.scalars(select(User).where(User.email == "jo@example.com")).one()
        assert [user.name for user in rig.resources] == ["Freelancer Jo"]
        assert [user.id for user in rig.computed_resources] == [jo.id]
    context.close()


def test_someone_without_the_scenario_rights_gets_the_403_page(
    browser, live_server, scenario_studio, tmp_path
):
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    log_in(page, live_server, "flowartist", Factory.PASSWORD)
    response = page.goto(f"{live_server}/scenarios")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shoot(page, tmp_path, "09-forbidden")
    context.close()


def test_an_administrator_gives_a_user_a_contract_window(
    browser, live_server, scenario_studio, tmp_path
):
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    log_in(page, live_server, LIVE_ADMIN_LOGIN, Factory.PASSWORD)
    page.goto(f"{live_server}/users")
    page.get_by_role("link", name="Ann").click()
    page.get_by_role("link", name="Edit").first.click()
    page.get_by_label("Available from (UTC)").fill("2027-01-04T09:00")
    page.get_by_label("Available until (UTC)").fill("2027-03-31T18:00")
    shoot(page, tmp_path, "12-user-form-window")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#user-availability")).to_have_text(
        "from 2027-01-04 09:00 UTC until 2027-03-31 18:00 UTC"
    )
    shoot(page, tmp_path, "13-user-page-window")
    context.close()
