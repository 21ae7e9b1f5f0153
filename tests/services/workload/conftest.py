"""Helpers of the workload tests: booking people on tasks as a schedule run would."""

from datetime import UTC, datetime

import pytest

WORKWEEK_HOURS = 45  # the test studio works Monday to Friday, 09:00-18:00 UTC


def at(day: int, hour: int = 9, month: int = 3) -> datetime:
    """A moment of March 2026 (UTC); Monday 2 March starts the first week."""
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def book(factory):
    """``book(person, start, end, project=...)``: a leaf task computed for ``person``; a length
    task unless ``values`` say otherwise, so it takes its whole span."""

    def booking(person, start, end, project=None, **values):
        values.setdefault("schedule_model", "length")
        task = factory.task(project=project or factory.project(), resources=[person], **values)
        task.computed_start, task.computed_end = start, end
        task.computed_resources = [person]
        factory.dbsession.flush()
        return task

    return booking
