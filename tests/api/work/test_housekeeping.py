"""The worker's hourly housekeeping forgets the API's Idempotency-Key answers once they are
older than ``KEEP_HOURS``, and keeps the fresh ones (on a database of the test's own, which the
worker's session reads after the test committed its rows)."""

from datetime import timedelta

from sqlalchemy import select

from stalker_web.api.idempotency import KEEP_HOURS
from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import IdempotencyRecord, User
from stalker_web.models.meta import utcnow
from stalker_web.queue import HOUSEKEEPING_TASK_NAME, JobQueue

from ...conftest import prepare_studio_database

ADMIN_LOGIN = "keeper"


def test_old_idempotency_answers_go_and_fresh_ones_stay(app_settings, fresh_database_url, tmp_path):
    prepare_studio_database(fresh_database_url, ADMIN_LOGIN, "Keeper")
    settings = {
        **app_settings,
        "sqlalchemy.url": fresh_database_url,
        "huey.storage": "sqlite",
        "huey.path": str(tmp_path / "huey.sqlite"),
    }
    engine = get_engine(settings)
    sessions = get_session_factory(engine)
    now = utcnow()
    with sessions() as dbsession, dbsession.begin():
        user_id = dbsession.scalar(select(User.id).where(User.login == ADMIN_LOGIN))
        for key, age in (("old", KEEP_HOURS + 1), ("fresh", KEEP_HOURS - 1)):
            record = IdempotencyRecord(
                user_id=user_id, key=key, request_hash="0" * 64, status=201, location=""
            )
            record.body = {"id": 1}
            record.date_created = now - timedelta(hours=age)
            dbsession.add(record)
    queue = JobQueue(settings)
    try:
        periodic = [task.__name__ for task in queue.huey._registry._periodic_tasks]
        assert HOUSEKEEPING_TASK_NAME in periodic
        assert queue.hourly_housekeeping() == 1
    finally:
        queue.close()
    with sessions() as dbsession:
        assert list(dbsession.scalars(select(IdempotencyRecord.key))) == ["fresh"]
    engine.dispose()
