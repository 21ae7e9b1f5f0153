"""A live server on its own committed database, and Debian's headless Chromium via Playwright."""

import shutil

import pytest
from playwright.sync_api import sync_playwright

from ..conftest import empty_database, prepare_studio_database
from ..live import LIVE_ADMIN_LOGIN

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def demo_template(request, tmp_path_factory):
    """A database with the live admin and the demo studio of ``make run`` (its files in a
    folder of this run), loaded once a run and copied for each module that walks the demo;
    yields its URL and the demo's project names."""
    from stalker_web.db import get_engine, get_session_factory
    from stalker_web.services.studio.demo import load_demo

    directory = tmp_path_factory.mktemp("demo-template")
    with empty_database(request.config.getoption("--db-url"), directory) as url:
        prepare_studio_database(url, LIVE_ADMIN_LOGIN, "Live Admin")
        engine = get_engine({"sqlalchemy.url": url})
        with get_session_factory(engine)() as dbsession:
            demo = load_demo(dbsession, repository_root=directory / "demo-files")
            names = [project.name for project in demo.projects]
            dbsession.commit()
        engine.dispose()
        yield url, names


@pytest.fixture(scope="module")
def live_demo(request, live_settings, demo_template):
    """The demo studio in the module's live database (a copy of ``demo_template``: the module
    sets ``DEMO_STUDIO = True``); its project names."""
    assert getattr(request.module, "DEMO_STUDIO", False), "set DEMO_STUDIO = True in the module"
    return demo_template[1]
