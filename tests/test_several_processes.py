"""Several hosts: two app servers (gunicorn processes, as in production) and a worker process on
one PostgreSQL database and one Redis queue share everything a user sees: the sign-in, the
schedule runs, the sign-out.

It needs PostgreSQL (the run's --db-url, else STALKER_WEB_TEST_POSTGRES_URL or root on
127.0.0.1:5432) and Redis; it is skipped with a message when either does not answer, unless
STALKER_WEB_REQUIRE_POSTGRES=1 or STALKER_WEB_REQUIRE_REDIS=1 (CI) make that a failure.
"""

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from bench.load import Browser, free_port
from stalker_web.db import get_engine, get_session_factory
from stalker_web.models.schedule_run import RunStatus
from stalker_web.queue import JobQueue

from .conftest import create_database, prepare_studio_database
from .factories import Factory
from .test_queue import REDIS_URL, redis_or_skip, small_project, wait_for_end

ADMIN_LOGIN = "hostsadmin"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://root@127.0.0.1:5432/postgres"
REQUIRE_POSTGRES_ENV_VAR = "STALKER_WEB_REQUIRE_POSTGRES"
REPOSITORY = Path(__file__).resolve().parent.parent
START_SECONDS = 60
_HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def postgres_server_or_skip(db_option: str) -> str:
    """The PostgreSQL server to create the database on; skip (or fail) when none answers."""
    server = db_option
    if not db_option.startswith("postgresql"):
        server = os.environ.get("STALKER_WEB_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    engine = create_engine(server, connect_args={"connect_timeout": 2})
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        message = f"no PostgreSQL answers at {server} ({error.orig}); several hosts are not tested"
        if os.environ.get(REQUIRE_POSTGRES_ENV_VAR) == "1":
            pytest.fail(f"{message}, but {REQUIRE_POSTGRES_ENV_VAR}=1 requires it")
        pytest.skip(message)
    finally:
        engine.dispose()
    return server


@pytest.fixture
def shared_settings(request, app_settings, tmp_path):
    """Settings of one PostgreSQL studio database and one Redis queue of the test's own."""
    server = postgres_server_or_skip(request.config.getoption("--db-url"))
    redis_or_skip()
    with create_database(server) as url:
        prepare_studio_database(url, ADMIN_LOGIN, "Hosts Admin")
        settings = {
            **app_settings,
            "sqlalchemy.url": url,
            "session.secure": "false",  # plain HTTP on loopback
            "huey.storage": "redis",
            "huey.url": REDIS_URL,
            "huey.name": f"stalker_web_test_{uuid.uuid4().hex[:12]}",
            "mail.folder": str(tmp_path / "mail"),
            "stalker_web.attachments_path": str(tmp_path / "attachments"),
        }
        yield settings
        queue = JobQueue(settings)
        queue.huey.flush()  # a Redis queue outlives the test: leave nothing behind
        queue.close()


def write_ini(settings: dict, directory: Path) -> Path:
    ini = directory / "hosts.ini"
    lines = ["[app:main]", "use = egg:stalker_web"]
    lines += [f"{key} = {str(value).replace('%', '%%')}" for key, value in settings.items()]
    ini.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ini


def start(command: list[str], log: Path) -> subprocess.Popen:
    """Start ``command`` in a process group of its own (stopped with its children)."""
    with log.open("w") as output:
        return subprocess.Popen(  # noqa: S603 - our own commands
            command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen, stop_signal: int) -> None:
    if process.poll() is None:
        os.killpg(process.pid, stop_signal)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def app_server(ini: Path, port: int, log: Path) -> subprocess.Popen:
    """One production server (gunicorn, one worker) on ``port``, answering when returned."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = start(
        [str(gunicorn), "--paste", str(ini), "--config", str(REPOSITORY / "gunicorn.conf.py")]
        + ["--workers", "1", "--bind", f"127.0.0.1:{port}"],
        log,
    )
    deadline = time.monotonic() + START_SECONDS
    while True:
        assert process.poll() is None, log.read_text()
        try:
            if Browser(port, "192.0.2.1").request("GET", "/login")[0] == 200:
                return process
        except OSError:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)


def form_fields(page: bytes, marker: str) -> dict[str, str]:
    """The hidden fields of the form whose opening tag contains ``marker``."""
    html = page.decode("utf-8")
    assert marker in html, marker
    return dict(_HIDDEN_INPUT.findall(html.partition(marker)[2].partition("</form>")[0]))


def test_two_app_processes_and_a_worker_share_sign_in_runs_and_sign_out(
    shared_settings, tmp_path, studio_config
):
    engine = get_engine(shared_settings)
    session_factory = get_session_factory(engine)
    project_id, _task_ids = small_project(session_factory, studio_config)
    ini = write_ini(shared_settings, tmp_path)
    stalker_web = Path(sys.executable).with_name("stalker-web")
    processes = []  # each with the signal that stops it gracefully
    try:
        first_port, second_port = free_port(), free_port()
        processes.append((app_server(ini, first_port, tmp_path / "first.log"), signal.SIGTERM))
        processes.append((app_server(ini, second_port, tmp_path / "second.log"), signal.SIGTERM))
        worker = start([str(stalker_web), str(ini), "worker"], tmp_path / "worker.log")
        processes.append((worker, signal.SIGINT))  # huey's graceful stop

        # Signed in on the first server, the same cookie goes on with the second.
        first = Browser(first_port, "192.0.2.1")
        first.log_in(ADMIN_LOGIN, Factory.PASSWORD)
        second = Browser(second_port, "192.0.2.1")
        second.cookies = dict(first.cookies)
        status, _headers, home = second.request("GET", "/")
        assert status == 200 and b"Hosts Admin" in home

        # A run asked for on the first is queued in Redis, carried out by the worker process
        # and followed on the second.
        _status, _headers, overview = first.request("GET", f"/projects/{project_id}")
        fields = form_fields(overview, 'id="schedule-project-form"')
        status, headers, _body = first.request(
            "POST", f"/projects/{project_id}/schedule", urlencode(fields)
        )
        assert status == 303, _body
        run_url = urlsplit(headers["Location"]).path
        run_id = int(run_url.rstrip("/").rsplit("/", 1)[1])
        status, _headers, page = second.request("GET", run_url)
        assert status == 200 and b'id="run-status"' in page
        run = wait_for_end(session_factory, run_id)
        assert (run.status, run.error) == (RunStatus.SUCCEEDED, ""), (
            tmp_path / "worker.log"
        ).read_text()
        _status, _headers, page = second.request("GET", run_url)
        assert b'class="badge run-succeeded"' in page and b'id="run-succeeded"' in page

        # Signing out on the second ends the sign-in on the first too.
        _status, _headers, home = second.request("GET", "/")
        status, _headers, _body = second.request(
            "POST", "/logout", urlencode(form_fields(home, "/logout"))
        )
        assert status in (302, 303)
        status, headers, _body = first.request("GET", "/")
        assert status in (302, 303) and urlsplit(headers["Location"]).path == "/login"
    finally:
        for process, stop_signal in processes:
            stop(process, stop_signal)
        engine.dispose()
