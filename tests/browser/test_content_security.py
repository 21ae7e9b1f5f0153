"""No page breaks the Content-Security-Policy: an admin and an artist walk the page families of the
demo studio in Chromium (expanding tree and chart rows too), and any violation Chromium reports
on the console fails the test. Status colours and row indents, which used to be inline styles,
must still show."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import Project, ScheduleRun, Studio, Task, User
from stalker_web.services.studio.demo import DEMO_PASSWORD

from ..factories import Factory
from .conftest import LIVE_ADMIN_LOGIN
from .test_admin_flow import log_in

pytestmark = pytest.mark.browser
# The live database is a copy of the demo studio (conftest.demo_template).
DEMO_STUDIO = True
ARTIST_LOGIN = "animation2"
VIOLATION = re.compile(r"Content[ -]Security[ -]Policy", re.IGNORECASE)


@pytest.fixture(scope="module")
def places(live_settings, live_demo):
    """Ids of the pages to visit: the film project, one of its shots, the artist, a finished
    schedule run."""
    engine = get_engine(live_settings)
    with get_session_factory(engine)() as dbsession:
        project = dbsession.scalars(select(Project).where(Project.code == "LHK")).one()
        shot = dbsession.scalars(
            select(Task).where(Task.project_id == project.id, Task.entity_type == "Shot")
        ).first()
        artist = dbsession.scalars(select(User).where(User.login == ARTIST_LOGIN)).one()
        run = ScheduleRun(
            name="A finished run",
            studio=dbsession.scalars(select(Studio)).one(),
            status="succeeded",
        )
        dbsession.add(run)
        dbsession.commit()
        ids = {"project": project.id, "shot": shot.id, "artist": artist.id, "run": run.id}
    engine.dispose()
    return ids


def watch_console(page) -> list[str]:
    """The policy violations Chromium reports on ``page`` from now on."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if VIOLATION.search(message.text)
            else None
        ),
    )
    return violations


def visit(page, base_url: str, path: str) -> None:
    page.goto(base_url + path)
    expect(page.locator("main h1").first).to_be_visible()
    toggle = page.locator("button[data-children-url]").first
    if toggle.count():
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")


def status_colours_show(page) -> None:
    """Every status badge takes the colour its class names, from the served stylesheet."""
    badges = page.locator(".status[class*='status-colour-']")
    expect(badges.first).to_be_visible()
    mismatches = badges.evaluate_all(
        """badges => badges.filter(badge => {
            const named = [...badge.classList].find(name => name.startsWith('status-colour-'));
            const colour = getComputedStyle(badge).getPropertyValue('--status-color').trim();
            return colour !== '#' + named.slice('status-colour-'.length);
        }).length"""
    )
    assert mismatches == 0


def test_no_page_breaks_the_content_security_policy(page, live_server, places):
    violations = watch_console(page)
    project = f"/projects/{places['project']}"
    log_in(page, live_server, LIVE_ADMIN_LOGIN, Factory.PASSWORD)
    for path in (
        "/",
        "/projects",
        project,
        f"{project}/tasks",
        f"{project}/gantt",
        f"/tasks/{places['shot']}",
        f"/users/{places['artist']}",
        "/vacations",
        f"/schedule/runs/{places['run']}",
        "/profile/sessions",
    ):
        visit(page, live_server, path)

    visit(page, live_server, f"{project}/tasks")
    status_colours_show(page)
    # A child row, loaded into the tree as a fragment, sits further right than its parent.
    toggle = page.locator("button[data-children-url]").first
    parent = toggle.locator("xpath=ancestor::th")
    child = page.locator(".task-tree tr[data-parent-id] th.tree-name").first
    expect(child).to_be_visible()
    assert child.evaluate("e => parseFloat(getComputedStyle(e).paddingLeft)") > parent.evaluate(
        "e => parseFloat(getComputedStyle(e).paddingLeft)"
    )

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, ARTIST_LOGIN, DEMO_PASSWORD)
    for path in ("/my/tasks", "/my/timesheet", "/reviews", f"{project}/gantt"):
        visit(page, live_server, path)
    visit(page, live_server, f"/users/{places['artist']}/vacations")
    assert violations == []
