"""A live server on its own committed database, and Debian's headless Chromium via Playwright."""

import shutil
import socket
import threading

import pytest
import transaction
from playwright.sync_api import sync_playwright
from sqlalchemy import select
from waitress.server import create_server

from stalker_web import main
from stalker_web.config import load_studio_config
from stalker_web.db import get_engine, get_session_factory, get_tm_session
from stalker_web.migrations import upgrade
from stalker_web.models import Group
from stalker_web.services.initial_data import initialize_database
from stalker_web.services.users import create_user

from ..conftest import create_database
from ..factories import Factory

LIVE_ADMIN_LOGIN = "liveadmin"

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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def live_db_url(request, tmp_path_factory):
    """A database of its own: the served app commits, unlike the rolled-back WebTest tests."""
    option = request.config.getoption("--db-url")
    if option == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite'}"
        return
    with create_database(option) as url:
        yield url


@pytest.fixture(scope="module")
def live_settings(app_settings, live_db_url):
    settings = {**app_settings, "sqlalchemy.url": live_db_url}
    engine = get_engine(settings)
    with engine.begin() as connection:
        upgrade(connection)
    config = load_studio_config()
    with transaction.manager:
        dbsession = get_tm_session(get_session_factory(engine), transaction.manager)
        initialize_database(dbsession, config)
        admin_group = dbsession.scalars(
            select(Group).where(Group.name == config["accounts"]["admin_group"])
        ).one()
        create_user(
            dbsession,
            name="Live Admin",
            login=LIVE_ADMIN_LOGIN,
            email="liveadmin@example.com",
            password=Factory.PASSWORD,
            password_min_length=config["accounts"]["password_min_length"],
            groups=[admin_group],
        )
    engine.dispose()
    return settings


@pytest.fixture(scope="module")
def live_server(live_settings):
    """The application served by waitress on a free local port; yields its base URL."""
    app = main({}, **live_settings)
    server = create_server(app, host="127.0.0.1", port=_free_port())
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    app.registry["dbsession_factory"].kw["bind"].dispose()


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
