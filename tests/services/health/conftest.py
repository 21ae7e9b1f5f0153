"""Fixtures of the health tests: a fixed now, a studio calendar, statuses and time logs put
straight in place (test setup only: the application goes through the workflow)."""

from datetime import UTC, datetime, timedelta

import pytest

from stalker_web.models import TimeLog
from stalker_web.models.task import status_changes
from stalker_web.services.workflow.statuses import task_status

from ...factories.accounts import cheap_users

# A Wednesday; the default studio works Monday to Friday, 09:00-18:00 (9 h a day).
NOW = datetime(2026, 6, 3, 12, tzinfo=UTC)
DAY = timedelta(days=1)
HOUR = 3600


@pytest.fixture(name="calendar")
def calendar_fixture(factory):
    return factory.studio()


@pytest.fixture(name="worker")
def worker_fixture(dbsession):
    return cheap_users(dbsession, 1)[0]


@pytest.fixture(name="put")
def put_fixture(dbsession):
    """Put a task straight into the status ``code``."""

    def put_in(task, code):
        with status_changes():
            task.status = task_status(dbsession, code)
        dbsession.flush()
        return task

    return put_in


@pytest.fixture(name="log")
def log_fixture(dbsession, worker):
    """Log ``hours`` on ``task`` from ``start``."""

    def add(task, start, hours):
        dbsession.add(
            TimeLog(task=task, resource=worker, start=start, end=start + timedelta(hours=hours))
        )
        dbsession.flush()

    return add
