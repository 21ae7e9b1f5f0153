"""Redis down: "Schedule now" (the page and the API) says the run could not start (it was marked
failed), not that it was queued, and the lock is free for the next try once Redis is back; a large
breakdown import that could not be handed over is ended at once and frees its project."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from stalker_web.models import BreakdownImport, ImportStatus, ScheduleRun, User
from stalker_web.models.schedule_run import RunStatus
from stalker_web.services.accounts.api_tokens import create_token
from stalker_web.services.breakdown.import_jobs import BACKGROUND_ABOVE_LINES
from stalker_web.services.breakdown.rows import COLUMNS

from ..api.openapi_check import OpenApiCheck
from ..factories import Factory
from .conftest import ADMIN_LOGIN, log_in
from .tcp_proxy import TcpProxy

RUNS = "/api/v1/schedule/runs"


@pytest.fixture
def redis_proxy():
    proxy = TcpProxy(("127.0.0.1", 6379))
    yield proxy
    proxy.close()


def schedule_now(testapp):
    form = testapp.get("/schedule").forms["schedule-form"]
    return form.submit(status=303).follow()


def test_schedule_now_with_redis_down_says_the_run_could_not_start(
    make_committing_app, redis_proxy
):
    testapp, engine = make_committing_app(
        **{
            "huey.storage": "redis",
            "huey.url": f"redis://127.0.0.1:{redis_proxy.port}/15",
            "huey.name": "stalker_web_fault_test",
        }
    )
    log_in(testapp)
    redis_proxy.cut()
    page = schedule_now(testapp)
    assert "Schedule run 1 could not start: the scheduling worker" in page.text
    assert "cannot be reached, so the run was marked failed" in page.text
    assert "is queued" not in page.text
    with engine.connect() as connection:
        status, lock = connection.execute(
            select(ScheduleRun.status, ScheduleRun.lock_studio_id)
        ).one()
    assert (status, lock) == (RunStatus.FAILED, None)

    redis_proxy.restore()
    page = schedule_now(testapp)
    assert "is queued" in page.text
    queue = testapp.app.registry["job_queue"]
    assert queue.pending_count() == 1
    queue.huey.flush()


@pytest.fixture
def redis_app(make_committing_app, redis_proxy):
    """The committing app with its queue on Redis through the proxy; (WebTest app, engine)."""
    testapp, engine = make_committing_app(
        **{
            "huey.storage": "redis",
            "huey.url": f"redis://127.0.0.1:{redis_proxy.port}/15",
            "huey.name": "stalker_web_fault_test",
        }
    )
    yield testapp, engine
    testapp.app.registry["job_queue"].huey.flush()


def admin_token(engine) -> str:
    with Session(engine) as dbsession, dbsession.begin():
        admin = dbsession.scalars(select(User).where(User.login == ADMIN_LOGIN)).one()
        _, secret = create_token(dbsession, admin, name="Pipeline", scope="write", expires_at=None)
    return secret


def test_the_api_s_schedule_now_with_redis_down_answers_503_not_queued(redis_app, redis_proxy):
    testapp, engine = redis_app
    openapi = OpenApiCheck(testapp.app.registry)
    headers = {"Authorization": f"Bearer {admin_token(engine)}", "Idempotency-Key": "run-1"}
    redis_proxy.cut()
    response = testapp.post_json(RUNS, {}, headers=headers, status=503)
    openapi.check("POST", RUNS, response)
    assert response.json["error"]["code"] == "queue_unavailable"
    assert "Schedule run 1 could not start" in response.json["error"]["message"]
    assert "Location" not in response.headers
    assert response.headers["Retry-After"].isdigit()
    with engine.connect() as connection:
        status, lock = connection.execute(
            select(ScheduleRun.status, ScheduleRun.lock_studio_id)
        ).one()
    assert (status, lock) == (RunStatus.FAILED, None)

    # The client retries with the same key once Redis is back: a new run, really queued.
    redis_proxy.restore()
    response = testapp.post_json(RUNS, {}, headers=headers, status=202)
    openapi.check("POST", RUNS, response)
    assert (response.json["id"], response.json["status"]) == (2, "queued")
    assert "Idempotent-Replayed" not in response.headers
    assert testapp.app.registry["job_queue"].pending_count() == 1


def shots_file(count: int) -> str:
    """A breakdown file of ``count`` shots."""
    padding = "," * (len(COLUMNS) - 3)
    shots = [f"SH{number:04d},Shot,SH{number:04d}{padding}" for number in range(count)]
    return "\n".join([",".join(COLUMNS), *shots])


def test_a_large_import_with_redis_down_is_ended_and_frees_its_project(
    redis_app, redis_proxy, studio_config
):
    testapp, engine = redis_app
    with Session(engine) as dbsession, dbsession.begin():
        project_id = Factory(dbsession, studio_config).project(name="Big", code="BG").id
    log_in(testapp)
    text = shots_file(BACKGROUND_ABOVE_LINES + 1)
    redis_proxy.cut()
    form = testapp.get(f"/projects/{project_id}/breakdown/import").forms["import-form"]
    form["text"] = text
    page = form.submit(status=303).follow()
    with engine.connect() as connection:
        status, lock, message = connection.execute(
            select(BreakdownImport.status, BreakdownImport.lock_project_id, BreakdownImport.message)
        ).one()
    assert (status, lock) == (ImportStatus.FAILED, None)
    assert message.startswith("The import could not be handed to the worker (")
    assert "could not be handed to the worker" in page.text
    assert "Nothing was imported." in page.text

    redis_proxy.restore()
    form = testapp.get(f"/projects/{project_id}/breakdown/import").forms["import-form"]
    form["text"] = text
    form.submit(status=303)  # not refused as "already running"
    assert testapp.app.registry["job_queue"].pending_count() == 1
