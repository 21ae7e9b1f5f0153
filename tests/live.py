"""A live server on its own committed database, served by waitress on a free local port (the
fixtures of the browser tests and of the client's end-to-end test; their conftests import
them)."""

import socket
import threading

import pytest
from waitress.server import create_server

from stalker_web import main

from .conftest import copied_database, empty_database, prepare_studio_database

LIVE_ADMIN_LOGIN = "liveadmin"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def live_settings(request, app_settings, tmp_path_factory):
    """Settings of a database of its own: the served app commits, unlike the WebTest tests.
    A module that sets ``DEMO_STUDIO = True`` gets a copy of ``demo_template`` (the demo
    studio, loaded once a run), else a studio with only its initial data and the live admin."""
    db_option = request.config.getoption("--db-url")
    directory = tmp_path_factory.mktemp("live")
    if getattr(request.module, "DEMO_STUDIO", False):
        template_url, _ = request.getfixturevalue("demo_template")
        with copied_database(db_option, template_url, directory) as url:
            yield {**app_settings, "sqlalchemy.url": url}
        return
    with empty_database(db_option, directory) as url:
        prepare_studio_database(url, LIVE_ADMIN_LOGIN, "Live Admin")
        yield {**app_settings, "sqlalchemy.url": url}


@pytest.fixture(scope="module")
def live_server(live_settings):
    """The application served by waitress on a free local port; yields its base URL."""
    app = main({}, **live_settings)
    server = create_server(app, host="127.0.0.1", port=free_port())
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    app.registry["dbsession_factory"].kw["bind"].dispose()


@pytest.fixture(scope="module")
def worker_live_server(live_settings, tmp_path_factory):
    """Like ``live_server``, with the scheduling queue on SQLite storage in a temporary
    directory and a huey consumer (``embedded_worker``) carrying out the runs the pages ask
    for, in threads of this process; yields the base URL."""
    from stalker_web.queue import JobQueue, embedded_worker, job_queue

    huey_path = tmp_path_factory.mktemp("huey") / "huey.sqlite"
    settings = {**live_settings, "huey.storage": "sqlite", "huey.path": str(huey_path)}
    app = main({}, **settings)
    server = create_server(app, host="127.0.0.1", port=free_port())
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    worker_queue = JobQueue(settings)
    try:
        with embedded_worker(worker_queue):
            yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        worker_queue.close()
        job_queue(app.registry).close()
        app.registry["dbsession_factory"].kw["bind"].dispose()
