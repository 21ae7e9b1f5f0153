"""The demo studio's producer with the user pickers in a real browser: the create form with the
picker open, its refusals, the edit form and the shot range form with people per step are
screenshot, with and without JavaScript, at 1280 px wide (into ``$STALKER_WEB_SHOTS`` when set,
else a temporary directory).
"""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

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

from .test_admin_flow import log_in
from .test_user_picker_flow import DEMO_PASSWORD, new_page, shoot, shots_directory

pytestmark = pytest.mark.browser
# The live database is a copy of the demo studio (conftest.demo_template).
DEMO_STUDIO = True


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
