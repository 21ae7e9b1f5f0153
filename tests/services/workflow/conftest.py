"""Fixtures of the workflow, review and time-log service tests: an artist, two reviewers, a way
to put a task straight into a status and a way to log the artist's hours."""

from datetime import timedelta
from itertools import count

import pytest

from stalker_web.models.task import status_changes
from stalker_web.services.workflow.statuses import task_status
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.calendar import MONDAY


@pytest.fixture(name="put")
def put_fixture(dbsession):
    """Put a task straight into a status (test setup only: the application changes statuses
    through the workflow)."""

    def put_in(task, code):
        with status_changes():
            task.status = task_status(dbsession, code)
        dbsession.flush()
        return task

    return put_in


@pytest.fixture(name="artist")
def artist_fixture(factory):
    """A user named Artist."""
    return factory.user(name="Artist")


@pytest.fixture(name="supervisor")
def supervisor_fixture(factory):
    """A user named Supervisor (responsible for the review tests' tasks)."""
    return factory.user(name="Supervisor")


@pytest.fixture(name="lead")
def lead_fixture(factory):
    """A user named Lead (a second reviewer)."""
    return factory.user(name="Lead")


@pytest.fixture(name="log_hours")
def log_hours_fixture(dbsession, artist):
    """Log ``hours`` for the artist on ``task``, each call on a later day (no overlaps)."""
    days = count()

    def log(task, hours=2, resource=None):
        start = MONDAY + timedelta(days=next(days))
        return create_time_log(
            dbsession, task, resource or artist, start, start + timedelta(hours=hours)
        )

    return log
