"""The scheduling worker: a "schedule now" POST on an app that really commits puts the run on
the huey queue (SQLite storage in a temporary directory, or Redis at 127.0.0.1:6379), and the
huey consumer carries it out with the real tj3.

Redis tests are skipped with a message when no Redis answers, unless STALKER_WEB_REQUIRE_REDIS=1
(CI), which makes that a failure.
"""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import webtest
from sqlalchemy import func, select

from stalker_web import main
from stalker_web.events import ScheduleFinished
from stalker_web.models import ProjectUser, ScheduleRun, Task
from stalker_web.models.schedule_run import RunStatus
from stalker_web.queue import (
    JobQueue,
    QueueConfigError,
    embedded_worker,
    huey_from_settings,
    job_queue,
)

from .conftest import login, prepare_studio_database
from .factories import Factory
from .pages import csrf_token

ADMIN_LOGIN = "queueadmin"
REDIS_URL = os.environ.get("STALKER_WEB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_REDIS_ENV_VAR = "STALKER_WEB_REQUIRE_REDIS"
RUN_TIMEOUT_SECONDS = 120


def redis_or_skip() -> None:
    """Skip (or, with STALKER_WEB_REQUIRE_REDIS=1, fail) when Redis does not answer."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        message = f"no Redis answers at {REDIS_URL} ({error}); the Redis queue is not tested"
        if os.environ.get(REQUIRE_REDIS_ENV_VAR) == "1":
            pytest.fail(f"{message}, but {REQUIRE_REDIS_ENV_VAR}=1 requires it")
        pytest.skip(message)


@pytest.fixture
def studio_url(fresh_database_url):
    """A migrated studio database of the test's own, whose app commits for real."""
    prepare_studio_database(fresh_database_url, ADMIN_LOGIN, "Queue Admin")
    return fresh_database_url


def queue_settings(app_settings, url: str, storage: str, directory: Path) -> dict:
    settings = {**app_settings, "sqlalchemy.url": url, "huey.storage": storage}
    if storage == "sqlite":
        settings["huey.path"] = str(directory / "huey.sqlite")
    else:
        redis_or_skip()
        settings["huey.url"] = REDIS_URL
        settings["huey.name"] = f"stalker_web_test_{uuid.uuid4().hex[:12]}"
    return settings


@pytest.fixture(params=["sqlite", "redis"])
def settings(request, app_settings, studio_url, tmp_path):
    """App settings on the committed database with the queue on each storage."""
    settings = queue_settings(app_settings, studio_url, request.param, tmp_path)
    yield settings
    queue = JobQueue(settings)
    queue.huey.flush()  # a Redis queue outlives the test: leave nothing behind
    queue.close()


@pytest.fixture
def served(settings):
    """The app (committing) and a WebTest client logged in as an admin."""
    app = main({}, **settings)
    client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    login(client, ADMIN_LOGIN)
    yield app, client
    job_queue(app.registry).close()
    app.registry["dbsession_factory"].kw["bind"].dispose()


def small_project(session_factory, studio_config) -> tuple[int, list[int]]:
    """A committed project of two 9-hour effort tasks of one artist (so one after the other)."""
    with session_factory() as dbsession:
        factory = Factory(dbsession, studio_config)
        artist = factory.user(name="Artist")
        project = factory.project(name="Queue Film", code="QF")
        project.members.append(ProjectUser(user=artist))
        first = factory.task(project=project, name="Model", schedule_timing=9, schedule_unit="h")
        second = factory.task(project=project, name="Rig", schedule_timing=9, schedule_unit="h")
        first.resources, second.resources = [artist], [artist]
        dbsession.commit()
        return project.id, [first.id, second.id]


def schedule_now(client, project_id: int | None = None) -> int:
    """Press "schedule now" (the project's button, or the whole studio); the run's id."""
    if project_id is None:
        response = client.get("/schedule").forms["schedule-form"].submit(status=303)
    else:
        page = client.get(f"/projects/{project_id}")
        response = page.forms["schedule-project-form"].submit(status=303)
    return int(response.location.rstrip("/").rsplit("/", 1)[1])


def wait_for_end(session_factory, run_id: int) -> ScheduleRun:
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        with session_factory() as dbsession:
            run = dbsession.get(ScheduleRun, run_id)
            if not run.is_active:
                dbsession.expunge(run)
                return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not end within {RUN_TIMEOUT_SECONDS} s")


def wait_until(condition) -> None:
    """Wait for ``condition()`` to be true (the worker does the rest of its work after a run's
    end is committed)."""
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"not true within {RUN_TIMEOUT_SECONDS} s"
        time.sleep(0.05)


def computed_dates(session_factory, task_ids) -> list[tuple]:
    with session_factory() as dbsession:
        return [
            (task.computed_start, task.computed_end)
            for task in (dbsession.get(Task, task_id) for task_id in task_ids)
        ]


def test_schedule_now_is_carried_out_by_the_worker(
    served, settings, session_factory, studio_config
):
    app, client = served
    project_id, task_ids = small_project(session_factory, studio_config)

    run_id = schedule_now(client, project_id)

    # Committed and queued, not run: the request never waits for tj3.
    with session_factory() as dbsession:
        assert dbsession.get(ScheduleRun, run_id).status == RunStatus.QUEUED
    assert job_queue(app.registry).pending_count() == 1

    finished = []
    app.registry.registerHandler(finished.append, (ScheduleFinished,))
    # The worker's own queue, as in another process, telling the app's subscribers.
    worker_queue = JobQueue(settings, dispatcher=app.registry.notify)
    try:
        with embedded_worker(worker_queue):
            run = wait_for_end(session_factory, run_id)
            wait_until(lambda: finished)
    finally:
        worker_queue.close()
        app.registry.unregisterHandler(finished.append, (ScheduleFinished,))

    assert (run.status, run.error) == (RunStatus.SUCCEEDED, ""), run.messages
    assert finished == [ScheduleFinished(run_id, "succeeded")]
    assert run.task_count == 2 and run.tj3_seconds > 0
    (first_start, first_end), (second_start, second_end) = sorted(
        computed_dates(session_factory, task_ids)
    )
    assert first_start < first_end <= second_start < second_end
    page = client.get(f"/schedule/runs/{run_id}")
    assert page.html.find(id="run-status").get_text() == "succeeded"
    assert "2 tasks got computed dates." in page.html.find(id="run-succeeded").get_text()
    assert job_queue(app.registry).pending_count() == 0


def test_two_requests_at_once_make_one_run(served, settings, session_factory):
    app, first_client = served
    second_client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    login(second_client, ADMIN_LOGIN)
    clients = [first_client, second_client]
    tokens = [csrf_token(client) for client in clients]
    barrier = threading.Barrier(2)
    locations: list[str] = []
    errors: list[BaseException] = []

    def press(client, token) -> None:
        try:
            barrier.wait()
            response = client.post("/schedule/start", {"csrf_token": token, "scope": "studio"})
            assert response.status_int == 303, response.text
            locations.append(response.location)
        except BaseException as error:  # reported below, from the test's thread
            errors.append(error)

    threads = [
        threading.Thread(target=press, args=pair) for pair in zip(clients, tokens, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(locations) == 2 and locations[0] == locations[1]
    with session_factory() as dbsession:
        assert dbsession.scalar(select(func.count()).select_from(ScheduleRun)) == 1
    assert job_queue(app.registry).pending_count() == 1


@pytest.fixture
def missing_tj3_config(tmp_path, monkeypatch):
    monkeypatch.delenv("STALKER_WEB_CONFIG", raising=False)
    path = tmp_path / "studio.toml"
    path.write_text('[scheduling]\ntj3_command = "tj3-is-not-installed-here"\n', encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_tj3_missing_ends_the_run_with_a_clear_error(
    settings, session_factory, studio_config, missing_tj3_config
):
    settings["stalker_web.studio_config"] = missing_tj3_config
    app = main({}, **settings)
    client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    login(client, ADMIN_LOGIN)
    project_id, _task_ids = small_project(session_factory, studio_config)
    run_id = schedule_now(client, project_id)
    worker_queue = JobQueue(settings)
    try:
        with embedded_worker(worker_queue):
            run = wait_for_end(session_factory, run_id)
    finally:
        worker_queue.close()
        job_queue(app.registry).close()

    assert run.status == RunStatus.FAILED
    box = client.get(f"/schedule/runs/{run_id}").html.find(id="tj3-missing")
    assert "tj3 is not installed" in box.get_text()
    assert "tj3-is-not-installed-here" in box.get_text()
    app.registry["dbsession_factory"].kw["bind"].dispose()


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_a_queue_that_cannot_be_reached_fails_the_run_and_frees_the_lock(settings, session_factory):
    unreachable = {**settings, "huey.storage": "redis", "huey.url": "redis://127.0.0.1:1/0"}
    app = main({}, **unreachable)
    client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    login(client, ADMIN_LOGIN)

    run_id = schedule_now(client)

    run = wait_for_end(session_factory, run_id)
    assert run.status == RunStatus.FAILED
    assert run.error.startswith("The run could not be handed to the scheduling worker (")
    assert "huey settings" in client.get(f"/schedule/runs/{run_id}").html.find(id="run-error").text
    # The lock is free again: the next request makes a new run.
    assert schedule_now(client) != run_id
    app.registry["dbsession_factory"].kw["bind"].dispose()


def test_the_storage_setting_is_checked():
    with pytest.raises(QueueConfigError, match="huey.storage = 'memcached' is not supported"):
        huey_from_settings({"huey.storage": "memcached"})


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_the_worker_command_carries_out_queued_runs_until_stopped(
    served, settings, session_factory, studio_config, tmp_path
):
    _app, client = served
    project_id, task_ids = small_project(session_factory, studio_config)
    ini = tmp_path / "worker.ini"
    ini.write_text(
        "[app:main]\nuse = egg:stalker_web\n"
        + "".join(
            f"{key} = {settings[key]}\n"
            for key in ("sqlalchemy.url", "session.secret", "huey.storage", "huey.path")
        ),
        encoding="utf-8",
    )
    command = [str(Path(sys.executable).with_name("stalker-web")), str(ini), "worker"]
    worker = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        run = wait_for_end(session_factory, schedule_now(client, project_id))
    finally:
        worker.send_signal(signal.SIGINT)  # huey's graceful stop
        output, _ = worker.communicate(timeout=30)
    assert (run.status, run.error) == (RunStatus.SUCCEEDED, ""), output
    assert worker.returncode == 0, output
    assert all(start is not None for start, _end in computed_dates(session_factory, task_ids))
