# ruff: noqa: F811 - the fixtures imported from the browser tests are parameters here
"""The run page in Chromium for each kind of scheduling message: the cause in words, the tasks
as links labelled with their path (screenshots in /work/shots/i11_messages/)."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from stalker_web.db import get_engine, get_session_factory
from stalker_web.services.scheduling.runs import execute_run, request_run
from stalker_web.services.scheduling.settings import SchedulingSettings

# The browser tests' fixtures (browser, page), used here as parameters of the test.
from ...browser.conftest import browser, page  # noqa: F401
from ...browser.test_admin_flow import log_in
from ...factories import Factory
from ...live import LIVE_ADMIN_LOGIN
from ...services.scheduling.conftest import NOW, StudioBuilder, at
from ...services.scheduling.test_causes import BOTH_PINS, backward_and_forward, model

pytestmark = pytest.mark.browser
SHOTS = Path("/work/shots/i11_messages")


def _on_vacation(builder, ann, film):
    model(builder, ann, film, 4)
    builder.vacation(ann, at(1), at(1, month=12))


CASES = {
    "effort_between_pins": (
        lambda builder, ann, film: model(builder, ann, film, 40, **BOTH_PINS),
        "#run-error",
        "can work only 18 h",
    ),
    "effort_ignored": (
        lambda builder, ann, film: model(builder, ann, film, 9, **BOTH_PINS),
        "#messages-warning",
        "the effort is ignored",
    ),
    "end_before_now": (
        lambda builder, ann, film: model(
            builder, ann, film, 4, schedule_constraint="end", end=at(5, 18)
        ),
        "#run-error",
        "which lies before now",
    ),
    "on_vacation": (_on_vacation, "#run-error", "on vacation for the whole planning window"),
    "beyond_window": (
        lambda builder, ann, film: model(builder, ann, film, 400),
        "#run-error",
        "Raise scheduling.horizon_days",
    ),
    "backward_and_forward": (backward_and_forward, "#messages-warning", "lower-priority work"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_run_page_names_the_cause_and_links_the_tasks(
    case,
    page,
    live_server,
    live_settings,
    studio_config,
    tmp_path,
):
    build, where, words = CASES[case]
    settings = SchedulingSettings(work_directory=tmp_path, horizon_days=30)
    engine = get_engine(live_settings)
    factory = get_session_factory(engine)
    with factory() as dbsession:
        builder = StudioBuilder(dbsession, studio_config)
        ann = builder.user("Ann")
        film = builder.project(f"Film {case}")
        build(builder, ann, film)
        builder.commit()
        run_id = request_run(dbsession, None, [film.id], settings=settings)[0].id
        dbsession.commit()
    execute_run(factory, run_id, settings, now=NOW)
    engine.dispose()

    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, LIVE_ADMIN_LOGIN, Factory.PASSWORD)
    page.goto(f"{live_server}/schedule/runs/{run_id}")

    section = page.locator(where)
    expect(section).to_contain_text(words)
    expect(section.locator("a[href*='/tasks/']").first).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{case}.png"), full_page=True)
