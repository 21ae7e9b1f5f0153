"""The searching user picker in a real browser.

A producer creates a task in a studio of 2,000 people: typing "an" in the Resources picker lists
the matches (the project's people first), the keyboard picks Ann, the task is saved and its page
lists Ann. Then, as the demo studio's producer, the create form with the picker open, its
refusals, the edit form and the shot range form with people per step are screenshot, with and
without JavaScript, at 1280 px wide (into ``$STALKER_WEB_SHOTS`` when set, else a temporary
directory).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from stalker_web.config import load_studio_config
from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import (
    Department,
    DepartmentUser,
    PipelineStep,
    Project,
    ProjectUser,
    Sequence,
    Task,
    User,
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


@pytest.fixture(scope="module")
def demo_places(live_settings, live_demo):
    """The demo producer's first project, one of its sequences, one of its Animation tasks and
    an animator on its team; the Animation step done by the Animation department (3 days)."""
    engine = get_engine(live_settings)
    with get_session_factory(engine)() as dbsession:
        producer = dbsession.scalars(select(User).where(User.login == "production1")).one()
        project = dbsession.scalars(
            select(Project)
            .join(ProjectUser, ProjectUser.project_id == Project.id)
            .where(ProjectUser.user_id == producer.id)
            .order_by(Project.id)
        ).first()
        sequence = dbsession.scalars(
            select(Sequence).where(Sequence.project_id == project.id).order_by(Sequence.id)
        ).first()
        task = dbsession.scalars(
            select(Task)
            .where(
                Task.project_id == project.id, Task.entity_type == "Task", Task.name == "Animation"
            )
            .order_by(Task.id)
        ).first()
        artist = dbsession.scalars(
            select(User)
            .join(DepartmentUser, DepartmentUser.user_id == User.id)
            .join(Department, Department.id == DepartmentUser.department_id)
            .join(ProjectUser, ProjectUser.user_id == User.id)
            .where(Department.name == "Animation", ProjectUser.project_id == project.id)
            .order_by(User.id)
        ).first()
        animation = dbsession.get(Task, task.id).type
        if animation.step is None:
            department = dbsession.scalars(
                select(Department).where(Department.name == "Animation")
            ).one()
            dbsession.add(
                PipelineStep(
                    type=animation,
                    department=department,
                    default_schedule_timing=3,
                    default_schedule_unit="d",
                )
            )
            dbsession.commit()
        places = {
            "project": project.id,
            "sequence": sequence.id,
            "task": task.id,
            "artist": artist.login if artist else "animation2",
        }
    engine.dispose()
    return places


def test_the_demo_producers_forms_with_pickers(browser, live_server, demo_places, tmp_path):
    directory = shots_directory(tmp_path)
    project, task = demo_places["project"], demo_places["task"]
    context, page = new_page(browser)
    log_in(page, live_server, "production1", DEMO_PASSWORD)
    page.goto(f"{live_server}/projects/{project}/tasks/new")
    page.get_by_label("Name").fill("Extra animation")
    page.get_by_label("Type", exact=True).select_option(label="Animation")
    expect(page.get_by_label("Schedule timing")).not_to_have_value("")
    search = page.get_by_role("combobox", name="Search people to add").first
    search.press_sequentially("anim")
    expect(page.locator("#resources-options [role=option]").first).to_be_visible()
    search.press("ArrowDown")
    shoot(page, directory, "create_picker_open")
    search.press("Enter")
    page.get_by_label("Milestone").check()
    page.get_by_role("button", name="Create").click()
    expect(page.locator("#resources-errors")).to_contain_text("A milestone has no resources.")
    shoot(page, directory, "create_error_milestone")

    page.goto(f"{live_server}/tasks/{task}/edit")
    expect(page.locator("#resources-chosen").get_by_role("checkbox").first).to_be_checked()
    shoot(page, directory, "edit_form")

    page.goto(
        f"{live_server}/projects/{project}/shots/new-range?sequence={demo_places['sequence']}"
    )
    page.get_by_label("Standard child tasks").select_option("Shot")
    step = page.locator("#step-people-1")
    step.get_by_role("combobox").first.press_sequentially("anim")
    expect(step.locator(".user-picker-options [role=option]").first).to_be_visible()
    step.get_by_role("combobox").first.press("Enter")
    shoot(page, directory, "shot_range_people")
    context.close()

    context, page = new_page(browser, javascript=False)
    log_in(page, live_server, "production1", DEMO_PASSWORD)
    page.goto(f"{live_server}/projects/{project}/tasks/new")
    page.get_by_label("Name").fill("Extra layout")
    page.get_by_label("Add people by login").first.fill(f"{demo_places['artist']}, bob")
    page.get_by_role("button", name="Create").click()
    expect(page.locator("#resources-errors")).to_contain_text(
        "No active user with the login 'bob'."
    )
    shoot(page, directory, "nojs_create_error_unknown_login")
    page.goto(f"{live_server}/tasks/{task}/edit")
    shoot(page, directory, "nojs_edit_form")
    page.goto(f"{live_server}/projects/{project}/shots/new-range")
    shoot(page, directory, "nojs_shot_range_people")
    page.goto(f"{live_server}/projects/{project}/tasks/from-template")
    page.get_by_label("Template").select_option("Shot")
    page.get_by_role("button", name="Choose people").click()
    expect(page.locator("#step-people-1")).to_contain_text("Animation")
    shoot(page, directory, "nojs_template_people")
    context.close()
