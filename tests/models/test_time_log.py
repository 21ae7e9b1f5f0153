"""TimeLog: what the model checks itself, its generated name, and what the database enforces."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from stalker_web.models import Task, TimeLog
from stalker_web.models.meta import InvalidValue

from ..factories.accounts import cheap_users

MONDAY_9 = datetime(2026, 1, 5, 9, tzinfo=UTC)


@contextmanager
def raises(field: str, message: str):
    """Expect an InvalidValue on ``field`` whose message matches ``message``."""
    with pytest.raises(InvalidValue, match=message) as error:
        yield error
    assert error.value.field == field


@pytest.fixture
def resource(dbsession):
    (user,) = cheap_users(dbsession, 1)
    return user


@pytest.fixture
def log_on(dbsession, resource):
    """Add and flush a log on ``task`` from ``start`` for ``hours`` (by ``resource``)."""

    def build(task, start=MONDAY_9, hours=2, **values):
        values.setdefault("resource", resource)
        time_log = TimeLog(task=task, start=start, end=start + timedelta(hours=hours), **values)
        dbsession.add(time_log)
        dbsession.flush()
        return time_log

    return build


def count_logs(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(TimeLog))


# Creating a log


def test_a_log_is_named_after_its_resource_task_and_start(make, log_on, resource):
    task = make(name="Model")
    time_log = log_on(task, hours=3)
    assert time_log.name == f"{resource.name} on Model, 2026-01-05 09:00 UTC"
    assert (time_log.task, time_log.resource) == (task, resource)
    assert (time_log.seconds, time_log.duration) == (3 * 3600, timedelta(hours=3))


def test_a_given_name_is_kept(make, log_on):
    assert log_on(make(), name="  Fixing   the rig ").name == "Fixing the rig"


def test_a_generated_name_fits_the_column_with_very_long_names(make, log_on, resource):
    resource.name = "R" * 256
    time_log = log_on(make(name="T" * 256))
    assert len(time_log.name) <= 256
    assert time_log.name.endswith(" UTC") and " on T" in time_log.name


def test_a_task_lists_its_logs_by_start(make, log_on, dbsession):
    task = make()
    later = log_on(task, start=MONDAY_9 + timedelta(days=1))
    earlier = log_on(task)
    task_id = task.id
    dbsession.expire_all()
    assert dbsession.get(Task, task_id).time_logs == [earlier, later]


def test_dates_are_stored_in_utc_and_read_back_timezone_aware(make, log_on, dbsession):
    tokyo = timezone(timedelta(hours=9))
    time_log = log_on(make(), start=datetime(2026, 1, 5, 19, tzinfo=tokyo))
    log_id = time_log.id
    dbsession.expire_all()
    reloaded = dbsession.get(TimeLog, log_id)
    assert reloaded.start == datetime(2026, 1, 5, 10, tzinfo=UTC)
    assert reloaded.start.tzinfo is not None
    assert reloaded.name.endswith("2026-01-05 10:00 UTC")


# What the model refuses


@pytest.mark.parametrize("hours", [0, -1])
def test_the_end_must_come_after_the_start(make, resource, hours):
    with raises("end", "A time log must end after it starts."):
        TimeLog(
            task=make(), resource=resource, start=MONDAY_9, end=MONDAY_9 + timedelta(hours=hours)
        )


def test_moving_the_end_before_the_start_is_refused(make, log_on):
    time_log = log_on(make())
    with raises("end", "A time log must end after it starts."):
        time_log.end = MONDAY_9
    with raises("start", "A time log needs its start"):
        time_log.start = None
    assert time_log.end == MONDAY_9 + timedelta(hours=2)


def test_a_task_and_a_resource_are_required(make, resource):
    with raises("task", "A time log needs a task."):
        TimeLog(resource=resource, start=MONDAY_9, end=MONDAY_9 + timedelta(hours=1))
    with raises("resource", "A time log needs a resource"):
        TimeLog(task=make(), start=MONDAY_9, end=MONDAY_9 + timedelta(hours=1))


def test_the_task_must_be_a_task_and_the_resource_a_user(make, resource, project):
    with raises("task", "A time log needs a task."):
        TimeLog(task=project, resource=resource, start=MONDAY_9, end=MONDAY_9 + timedelta(hours=1))
    with raises("resource", "A time log needs a resource"):
        TimeLog(task=make(), resource=project, start=MONDAY_9, end=MONDAY_9 + timedelta(hours=1))


@pytest.mark.parametrize("missing", ["start", "end"])
def test_both_dates_are_required(make, resource, missing):
    dates = {"start": MONDAY_9, "end": MONDAY_9 + timedelta(hours=1), missing: None}
    with raises(missing, f"A time log needs its {missing} date and time."):
        TimeLog(task=make(), resource=resource, **dates)


def test_dates_without_a_time_zone_are_refused(make, resource):
    naive = datetime(2026, 1, 5, 9)
    with raises("start", "Give a date and time with its time zone."):
        TimeLog(task=make(), resource=resource, start=naive, end=MONDAY_9 + timedelta(hours=1))


def test_set_range_moves_a_log_later_or_earlier_in_one_step(make, log_on):
    time_log = log_on(make())
    next_week = MONDAY_9 + timedelta(days=7)
    time_log.set_range(next_week, next_week + timedelta(hours=4))
    assert (time_log.start, time_log.seconds) == (next_week, 4 * 3600)
    time_log.set_range(MONDAY_9 - timedelta(days=7), MONDAY_9 - timedelta(days=7, hours=-1))
    assert time_log.start == MONDAY_9 - timedelta(days=7) and time_log.seconds == 3600
    with raises("end", "A time log must end after it starts."):
        time_log.set_range(MONDAY_9, MONDAY_9)


# What the database enforces


def test_the_database_refuses_an_end_not_after_the_start(make, log_on, dbsession):
    time_log = log_on(make())
    table = TimeLog.__table__
    with pytest.raises(IntegrityError), dbsession.begin_nested():
        dbsession.execute(update(table).where(table.c.id == time_log.id).values(end=time_log.start))


def postgresql_only(dbsession):
    if dbsession.get_bind().dialect.name != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only (SQLite: the service)")


@pytest.mark.parametrize(
    ("start_hour", "hours"),
    [(10, 2), (8, 4), (9, 1), (8, 2)],
    ids=["partly", "around", "inside", "into"],
)
def test_postgresql_refuses_an_overlapping_log_inserted_without_the_service(
    make, log_on, dbsession, resource, start_hour, hours
):
    postgresql_only(dbsession)
    task = log_on(make()).task
    start = MONDAY_9.replace(hour=start_hour)
    refused = pytest.raises(IntegrityError, match="ex_time_logs_resource_id_no_overlap")
    with refused, dbsession.begin_nested():
        log_on(task, start=start, hours=hours)


def test_postgresql_lets_logs_touch_and_other_resources_overlap(make, log_on, dbsession):
    postgresql_only(dbsession)
    task = log_on(make()).task
    log_on(task, start=MONDAY_9 + timedelta(hours=2))
    (other,) = cheap_users(dbsession, 1)
    log_on(task, resource=other)
    assert count_logs(dbsession) == 3


def test_deleting_a_task_deletes_its_logs(make, log_on, dbsession):
    task = make()
    log_on(task)
    log_on(task, start=MONDAY_9 + timedelta(days=1))
    dbsession.delete(task)
    dbsession.flush()
    assert count_logs(dbsession) == 0


def test_the_database_cascades_a_task_deleted_without_the_orm(make, log_on, dbsession):
    task = make()
    log_on(task)
    task_id = task.id
    dbsession.expunge_all()
    dbsession.execute(delete(Task.__table__).where(Task.__table__.c.id == task_id))
    assert count_logs(dbsession) == 0


def test_a_log_taken_off_its_task_is_deleted(make, log_on, dbsession):
    task = make()
    log_on(task)
    task.time_logs.clear()
    dbsession.flush()
    assert count_logs(dbsession) == 0


def test_a_user_with_logs_cannot_be_deleted(make, log_on, dbsession, resource):
    log_on(make())
    with pytest.raises(IntegrityError), dbsession.begin_nested():
        dbsession.delete(resource)
        dbsession.flush()
