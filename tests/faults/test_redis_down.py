"""Redis down: "Schedule now" says the run could not start (it was marked failed), not that it
was queued, and the lock is free for the next try once Redis is back."""

import pytest
from sqlalchemy import select

from stalker_web.models import ScheduleRun
from stalker_web.models.schedule_run import RunStatus

from .conftest import log_in
from .tcp_proxy import TcpProxy


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
