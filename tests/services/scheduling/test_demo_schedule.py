"""The demo studio (``stalker-web <ini> load-demo``) schedules through the real tj3 without a
warning: what a producer sees first has nothing to explain."""

import pytest

from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import RunStatus
from stalker_web.services.scheduling.runs import execute_run, request_run
from stalker_web.services.scheduling.settings import SchedulingSettings
from stalker_web.services.studio.demo import load_demo

from ...conftest import empty_database, prepare_studio_database


@pytest.fixture
def demo_session_factory(request, tmp_path):
    """Sessions on a database of this test's own holding the demo studio."""
    with empty_database(request.config.getoption("--db-url"), tmp_path) as url:
        prepare_studio_database(url, "scheduler", "Scheduler")
        engine = get_engine({"sqlalchemy.url": url})
        factory = get_session_factory(engine)
        with factory() as dbsession, dbsession.begin():
            load_demo(dbsession)
        yield factory
        engine.dispose()


def test_the_demo_studio_schedules_without_warnings(demo_session_factory, tmp_path):
    settings = SchedulingSettings(work_directory=tmp_path)
    with demo_session_factory() as dbsession, dbsession.begin():
        run_id = request_run(dbsession, None, settings=settings)[0].id

    run = execute_run(demo_session_factory, run_id, settings)  # now: the demo is for today

    assert run.status == RunStatus.SUCCEEDED, run.error
    warnings = [m["readable"] for m in run.messages if m["level"] != "info"]
    assert warnings == [], "\n".join(warnings)
    assert run.task_count > 100
