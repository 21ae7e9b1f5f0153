"""Running a production from the board, in a real browser, with a huey worker running tj3.

The studio: "Lighthouse" ends eight days from now; its sequence SQ01 has five shots with
Animation (two days each, nobody on it yet) and Lighting (one day, Bob) on the board, and an
Animatic Bob should have finished two days ago. The producer (the default Producers group,
manager of Lighthouse) looks at the project's workload (Ann has nothing), opens the board, ticks
the five Animation cells, assigns Ann with the searching picker, schedules the project and waits
for the run; the overview then lists the Animatic as late and Ann's last shots as at risk (ten
days of work do not fit in eight), the board marks them, and the workload shows Ann's hours.
An artist of the project sees the board without the bulk controls and gets 403 on the workload.
Each page is saved as a screenshot at 1280 px (in STALKER_WEB_SHOTS when set).
"""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from stalker_web.config import load_studio_config
from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import ProjectStep, ProjectUser, Task
from stalker_web.services.studio.initial_data import ensure_default_groups

from ..factories import Factory
from .test_admin_flow import log_in
from .test_user_picker_flow import new_page, shoot, shots_directory

pytestmark = pytest.mark.browser
SHOTS = ("SH010", "SH020", "SH030", "SH040", "SH050")


@pytest.fixture(scope="module")
def production_studio(live_settings):
    """The module docstring's studio, committed; yields the project's id and a session factory."""
    config = load_studio_config()
    engine = get_engine(live_settings)
    session_factory = get_session_factory(engine)
    now = datetime.now(UTC).replace(microsecond=0)
    with session_factory() as dbsession:
        factory = Factory(dbsession, config)
        groups = ensure_default_groups(dbsession, config["accounts"]["default_groups"])
        producers = next(group for group in groups if group.name == "Producers")
        producer = factory.user("boardproducer", name="Paula Producer", groups=[producers])
        ann = factory.user("boardann", name="Ann Lee")
        bob = factory.user("boardbob", name="Bob Kay")
        artist = factory.user("boardartist", name="Art Ist")
        project = factory.project(
            name="Lighthouse",
            code="LHT",
            start=now - timedelta(days=14),
            end=now + timedelta(days=8),
        )
        project.members.extend(
            [
                ProjectUser(user=producer, role=factory.role("Producer", manages_project=True)),
                ProjectUser(user=ann),
                ProjectUser(user=bob),
                ProjectUser(user=artist),
            ]
        )
        animation = factory.task_type("Task", "Animation")
        animation.color = "#3366cc"
        lighting = factory.task_type("Task", "Lighting")
        lighting.color = "#cc9933"
        for position, kind in enumerate((animation, lighting)):
            dbsession.add(
                ProjectStep(project_id=project.id, target="Shot", type=kind, position=position)
            )
        sequence = factory.task("Sequence", project=project, name="SQ01", code="SQ01")
        factory.task(
            parent=sequence,
            name="Animatic",
            resources=[bob],
            schedule_timing=1,
            schedule_unit="d",
            end=now - timedelta(days=2),
        )
        for code in SHOTS:
            shot = factory.task(
                "Shot",
                parent=sequence,
                sequence=sequence,
                name=code,
                code=code,
                cut_in=1001,
                cut_out=1048,
            )
            factory.task(
                parent=shot, name="Animation", type=animation, schedule_timing=2, schedule_unit="d"
            )
            factory.task(
                parent=shot,
                name="Lighting",
                type=lighting,
                resources=[bob],
                schedule_timing=1,
                schedule_unit="d",
            )
        dbsession.commit()
        project_id = project.id
    yield {"project_id": project_id, "session_factory": session_factory}
    engine.dispose()


def test_a_producer_assigns_five_shots_schedules_and_sees_the_risk(
    browser, worker_live_server, production_studio, tmp_path
):
    base, project_id = worker_live_server, production_studio["project_id"]
    directory = shots_directory(tmp_path)
    context, page = new_page(browser)
    log_in(page, base, "boardproducer", Factory.PASSWORD)

    # Before: the project is not scheduled and Ann has no hours.
    page.goto(f"{base}/projects/{project_id}")
    expect(page.locator("#health-not-scheduled")).to_be_visible()
    page.locator("div.actions").get_by_role("link", name="Workload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Workload of Lighthouse")
    ann_total = page.locator("#workload tr", has_text="Ann Lee").locator("td.workload-total")
    expect(ann_total).to_contain_text("0")
    shoot(page, directory, "production_01_workload_before")

    # The board: five shots, their Animation cells empty of people.
    page.goto(f"{base}/projects/{project_id}")
    page.get_by_role("link", name="Production board").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Production board")
    expect(page.locator("#board thead th")).to_have_text(["Shot", "Animation", "Lighting"])
    expect(page.locator("#board tbody th.board-entity")).to_have_count(5)
    shoot(page, directory, "production_02_board")

    for code in SHOTS:
        page.get_by_label(f"Tick {code} Animation").check()
    search = page.locator("#user_ids-search")
    search.press_sequentially("Ann")
    options = page.get_by_role("listbox", name="People matching").get_by_role("option")
    expect(options.first).to_contain_text("Ann Lee")
    search.press("Enter")
    expect(page.locator("#user_ids-chosen").get_by_role("checkbox", name="Ann Lee")).to_be_checked()
    shoot(page, directory, "production_03_board_ticked")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Assigned Ann Lee to 5 tasks.")
    animation_people = page.locator("#board td.board-cell[data-column='0'] .board-people")
    expect(animation_people).to_have_text(["AL"] * 5)

    # Scheduling in the background; the run page follows it.
    page.goto(f"{base}/projects/{project_id}")
    page.get_by_role("button", name="Schedule this project").click()
    expect(page.locator("#run-status")).to_have_text("succeeded", timeout=120_000)

    # The overview: the Animatic is late, Ann's last shots at risk.
    page.goto(f"{base}/projects/{project_id}")
    expect(page.locator("#health-not-scheduled")).to_have_count(0)
    expect(page.locator("#late-tasks")).to_contain_text("LHT / SQ01 / Animatic")
    at_risk = page.locator("#at-risk-tasks")
    expect(at_risk).to_contain_text("SH050 / Animation")
    expect(page.locator("#at-risk-count .health-figure")).not_to_have_text("0")
    shoot(page, directory, "production_04_overview")
    page.locator("#at-risk-tasks-all").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tasks at risk")
    shoot(page, directory, "production_05_at_risk_list")

    # The board marks them, with computed ends in the cells.
    page.goto(f"{base}/projects/{project_id}/board")
    expect(page.locator("#board td.board-at_risk").first).to_contain_text("At risk")
    expect(page.locator("#board td.board-cell .board-end").first).to_be_visible()
    shoot(page, directory, "production_06_board_scheduled")

    # The workload now holds Ann's scheduled hours.
    page.goto(f"{base}/projects/{project_id}/workload")
    expect(ann_total).not_to_have_text("0 h")
    ann_cells = page.locator("#workload tr", has_text="Ann Lee").locator("td.workload-cell")
    expect(ann_cells.first).not_to_contain_text("0 h /")
    shoot(page, directory, "production_07_workload_after")
    context.close()

    with production_studio["session_factory"]() as dbsession:
        tasks = dbsession.scalars(
            select(Task).where(Task.project_id == project_id, Task.name == "Animation")
        ).all()
        assert {user.name for task in tasks for user in task.computed_resources} == {"Ann Lee"}


def test_an_artist_sees_the_board_but_not_the_workload(
    browser, live_server, production_studio, tmp_path
):
    project_id = production_studio["project_id"]
    context, page = new_page(browser)
    log_in(page, live_server, "boardartist", Factory.PASSWORD)
    page.goto(f"{live_server}/projects/{project_id}/board")
    expect(page.locator("#board")).to_be_visible()
    expect(page.locator("#board-bulk")).to_have_count(0)
    shoot(page, shots_directory(tmp_path), "production_08_board_artist")
    response = page.goto(f"{live_server}/projects/{project_id}/workload")
    assert response.status == 403
    context.close()
