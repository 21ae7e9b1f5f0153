"""The review loop in a real browser: an artist logs time and requests a review; the
supervisor asks for a revision; the artist logs more time and asks again; the supervisor
approves. The task is then completed and the task waiting for it is ready to start."""

import pytest
from playwright.sync_api import expect

from stalker_web.config import load_studio_config
from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import Project, ProjectUser, StatusList
from stalker_web.services.accounts.users import create_user
from stalker_web.services.tasks.commands import create_task
from stalker_web.services.tasks.dependencies import add_dependency

from ..factories import Factory
from .test_admin_flow import log_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def review_setup(live_settings):
    """A project with an artist (resource of Animation), a supervisor (responsible for it)
    and Lighting waiting for Animation, committed to the live database."""
    config = load_studio_config()
    engine = get_engine(live_settings)
    with get_session_factory(engine)() as dbsession:
        people = {
            login: create_user(
                dbsession,
                name=name,
                login=login,
                email=f"{login}@example.com",
                password=Factory.PASSWORD,
                password_min_length=config["accounts"]["password_min_length"],
            )
            for login, name in (("flowartist", "Flow Artist"), ("flowsuper", "Flow Supervisor"))
        }
        statuses = dbsession.query(StatusList).filter_by(target_entity_type="Project").one()
        project = Project(name="Review Film", code="RVF", status=statuses.statuses[0])
        for user in people.values():
            project.members.append(ProjectUser(user=user))
        dbsession.add(project)
        dbsession.flush()
        animation = create_task(
            dbsession,
            project=project,
            name="Animation",
            resources=[people["flowartist"]],
            responsible=[people["flowsuper"]],
            schedule_timing=4,
        )
        lighting = create_task(dbsession, project=project, name="Lighting")
        add_dependency(dbsession, lighting, animation)
        ids = {"animation": animation.id, "lighting": lighting.id}
        dbsession.commit()
    engine.dispose()
    return ids


def log_out(page):
    page.get_by_role("button", name="Log out").click()


def log_time(page, base_url, start, end):
    page.goto(f"{base_url}/my/tasks")
    row = page.locator("#my-tasks tbody tr", has_text="Animation")
    row.get_by_label("From").fill(start)
    row.get_by_label("to", exact=True).fill(end)
    row.get_by_role("button", name="Log time").click()
    expect(page.get_by_text("Time logged on RVF / Animation.")).to_be_visible()


def request_review(page):
    row = page.locator("#my-tasks tbody tr", has_text="Animation")
    row.get_by_role("button", name="Request a review").click()
    expect(page.get_by_text("Review requested for RVF / Animation.")).to_be_visible()
    expect(row.locator(".status")).to_have_attribute("title", "Pending Review")


def test_a_task_goes_through_a_revision_to_completion(page, live_server, review_setup):
    log_in(page, live_server, "flowartist", Factory.PASSWORD)
    log_time(page, live_server, "2026-03-02T09:00", "2026-03-02T12:00")
    expect(
        page.locator("#my-tasks tbody tr", has_text="Animation").locator(".status")
    ).to_have_attribute("title", "Work In Progress")
    request_review(page)
    log_out(page)

    log_in(page, live_server, "flowsuper", Factory.PASSWORD)
    page.goto(f"{live_server}/reviews")
    review = page.locator("article.review", has_text="Animation")
    expect(review.locator(".dependents")).to_contain_text("Lighting")
    review.get_by_label("What needs to change").fill("Smoother arcs in the jump.")
    review.get_by_label("Extra time").fill("2")
    review.get_by_role("button", name="Request a revision").click()
    expect(
        page.get_by_text("Revision requested on RVF / Animation. It is now Has Revision.")
    ).to_be_visible()
    log_out(page)

    log_in(page, live_server, "flowartist", Factory.PASSWORD)
    log_time(page, live_server, "2026-03-03T09:00", "2026-03-03T11:00")
    request_review(page)
    log_out(page)

    log_in(page, live_server, "flowsuper", Factory.PASSWORD)
    page.goto(f"{live_server}/reviews")
    page.locator("article.review", has_text="Animation").get_by_role(
        "button", name="Approve"
    ).click()
    expect(page.get_by_text("RVF / Animation approved. It is now Completed.")).to_be_visible()
    expect(page.get_by_text("Nothing to review.")).to_be_visible()

    page.goto(f"{live_server}/tasks/{review_setup['animation']}")
    expect(page.get_by_role("heading", level=1).locator(".status")).to_have_text("Completed")
    page.goto(f"{live_server}/tasks/{review_setup['lighting']}")
    expect(page.get_by_role("heading", level=1).locator(".status")).to_have_text("Ready To Start")
