"""Time logs: every rule on create, edit and delete (status, container, overlap including
containment, dependency dates), the estimate expansion and the status effects."""

from datetime import timedelta

import pytest

from stalker_web.models import TimeLog
from stalker_web.services.errors import ConflictError, ValidationError
from stalker_web.services.tasks.dependencies import add_dependency
from stalker_web.services.tasks.edit import update_task
from stalker_web.services.tasks.progress import studio_calendar
from stalker_web.services.workflow import time_logs

from ...factories.calendar import MONDAY

H = timedelta(hours=1)


@pytest.fixture
def task(factory):
    project = factory.project()

    def build(name="Task", **values):
        values.setdefault("schedule_timing", 10)
        values.setdefault("schedule_unit", "h")
        return factory.task(project=project, name=name, **values)

    return build


def log(dbsession, task, user, start, hours):
    return time_logs.create_time_log(dbsession, task, user, start, start + hours * H)


def refused(message):
    return pytest.raises(ValidationError, match=message)


def test_a_log_is_stored_and_starts_the_work(dbsession, task, artist):
    shot = task()
    entry = log(dbsession, shot, artist, MONDAY, 2)
    assert (entry.task, entry.resource, entry.seconds) == (shot, artist, 7200)
    assert shot.status.code == "WIP"


@pytest.mark.parametrize(
    ("offset", "hours"),
    [(-1, 2), (1, 2), (1, 1), (-1, 4), (0, 2)],
    ids=["overlaps the start", "overlaps the end", "inside", "around", "same"],
)
def test_overlapping_logs_of_one_person_are_refused(dbsession, task, artist, offset, hours):
    first, second = task("First"), task("Second")
    log(dbsession, first, artist, MONDAY, 2)
    with refused("Artist already logged time from 2026-03-02 09:00 UTC to .* on First") as error:
        log(dbsession, second, artist, MONDAY + offset * H, hours)
    assert error.value.field == "start"
    assert second.time_logs == [] and second.status.code == "RTS"


def test_touching_logs_and_other_people_are_fine(dbsession, factory, task, artist):
    shot = task()
    log(dbsession, shot, artist, MONDAY, 2)
    log(dbsession, shot, artist, MONDAY + 2 * H, 1)
    log(dbsession, shot, artist, MONDAY - 1 * H, 1)
    log(dbsession, shot, factory.user(), MONDAY, 2)
    assert len(shot.time_logs) == 4


def test_a_bad_range_is_refused_on_its_field(dbsession, task, artist):
    with refused("must end after it starts") as error:
        log(dbsession, task(), artist, MONDAY, 0)
    assert error.value.field == "end"


@pytest.mark.parametrize(("target", "limit_field"), [("onend", "end"), ("onstart", "start")])
def test_a_log_cannot_start_before_a_dependency_allows(
    dbsession, task, put, artist, target, limit_field
):
    upstream, downstream = task("Upstream"), task("Downstream")
    upstream.set_dates(MONDAY, MONDAY + 48 * H)
    add_dependency(dbsession, downstream, upstream, dependency_target=target)
    put(upstream, "CMPL")
    put(downstream, "RTS")
    limit = getattr(upstream, limit_field)
    with refused("Downstream waits for Upstream, which .* log time from then on"):
        log(dbsession, downstream, artist, limit - H, 1)
    assert log(dbsession, downstream, artist, limit, 1).start == limit


def test_the_computed_dates_win_once_scheduled(dbsession, task, put, artist):
    upstream, downstream = task("Upstream"), task("Downstream")
    upstream.set_dates(MONDAY, MONDAY + 2 * H)
    upstream.computed_start, upstream.computed_end = MONDAY, MONDAY + 30 * H
    add_dependency(dbsession, downstream, upstream)
    put(upstream, "CMPL")
    put(downstream, "RTS")
    with refused("which ends on 2026-03-03 15:00 UTC"):
        log(dbsession, downstream, artist, MONDAY + 3 * H, 1)


def test_a_dependency_without_dates_sets_no_limit(dbsession, task, put, artist):
    upstream, downstream = task("Upstream"), task("Downstream")
    add_dependency(dbsession, downstream, upstream)
    put(upstream, "CMPL")
    put(downstream, "RTS")
    assert log(dbsession, downstream, artist, MONDAY, 1).task is downstream


def test_a_log_past_the_estimate_expands_it_and_keeps_the_bid(dbsession, task, artist):
    shot = task(schedule_timing=3, schedule_unit="h")
    log(dbsession, shot, artist, MONDAY, 2)
    assert shot.schedule_timing == 3
    log(dbsession, shot, artist, MONDAY + 4 * H, 2)
    assert (shot.schedule_timing, shot.schedule_unit) == (4, "h")
    assert (shot.bid_timing, shot.bid_unit) == (3, "h")


def test_a_length_task_keeps_its_estimate(dbsession, task, artist):
    shot = task(schedule_timing=1, schedule_unit="h", schedule_model="length")
    log(dbsession, shot, artist, MONDAY, 3)
    assert shot.schedule_timing == 1


# Edits and deletions re-check the rules


def test_an_edit_moves_the_log_and_ignores_itself(dbsession, task, artist):
    shot = task(schedule_timing=2)
    entry = log(dbsession, shot, artist, MONDAY, 2)
    time_logs.update_time_log(
        dbsession,
        entry,
        start=MONDAY + H,
        end=MONDAY + 4 * H,
        description="Blocking",
        submitted_version=entry.version_id,
    )
    assert (entry.start, entry.end, entry.description) == (MONDAY + H, MONDAY + 4 * H, "Blocking")
    assert shot.schedule_seconds(studio_calendar(dbsession)) == 3 * 3600


def test_an_edit_onto_another_log_is_refused(dbsession, task, artist):
    shot = task()
    first = log(dbsession, shot, artist, MONDAY, 2)
    second = log(dbsession, shot, artist, MONDAY + 3 * H, 2)
    with refused("already logged time from 2026-03-02 09:00 UTC"):
        time_logs.update_time_log(
            dbsession,
            second,
            start=MONDAY - H,
            end=MONDAY + 5 * H,
            submitted_version=second.version_id,
        )
    assert (first.start, second.start) == (MONDAY, MONDAY + 3 * H)


def test_an_edit_before_a_dependency_allows_is_refused(dbsession, task, put, artist):
    upstream, downstream = task("Upstream"), task("Downstream")
    upstream.set_dates(MONDAY, MONDAY + 2 * H)
    add_dependency(dbsession, downstream, upstream)
    put(upstream, "CMPL")
    put(downstream, "RTS")
    entry = log(dbsession, downstream, artist, MONDAY + 2 * H, 1)
    with refused("Downstream waits for Upstream"):
        time_logs.update_time_log(
            dbsession, entry, start=MONDAY, end=MONDAY + H, submitted_version=entry.version_id
        )


@pytest.mark.parametrize("status", ["OH", "STOP", "CMPL"])
def test_logs_of_a_finished_or_held_task_cannot_change(dbsession, task, put, artist, status):
    shot = task()
    entry = log(dbsession, shot, artist, MONDAY, 2)
    put(shot, status)
    with refused("Time can only be logged on a task that is"):
        time_logs.update_time_log(
            dbsession, entry, start=MONDAY, end=MONDAY + H, submitted_version=entry.version_id
        )
    with refused("Time can only be logged on a task that is"):
        time_logs.delete_time_log(dbsession, entry, submitted_version=entry.version_id)
    assert entry in shot.time_logs


def test_a_stale_edit_is_refused(dbsession, task, artist):
    entry = log(dbsession, task(), artist, MONDAY, 2)
    with pytest.raises(ConflictError):
        time_logs.update_time_log(
            dbsession, entry, start=MONDAY, end=MONDAY + H, submitted_version=entry.version_id - 1
        )


def test_deleting_the_last_log_makes_the_task_ready_again(dbsession, task, artist):
    shot = task()
    first = log(dbsession, shot, artist, MONDAY, 2)
    second = log(dbsession, shot, artist, MONDAY + 2 * H, 2)
    time_logs.delete_time_log(dbsession, first, submitted_version=first.version_id)
    assert shot.status.code == "WIP"
    time_logs.delete_time_log(dbsession, second, submitted_version=second.version_id)
    assert shot.status.code == "RTS"
    assert dbsession.query(TimeLog).filter_by(task_id=shot.id).count() == 0


def test_the_estimate_can_still_be_edited_by_hand(dbsession, task, artist):
    shot = task(schedule_timing=2)
    log(dbsession, shot, artist, MONDAY, 3)
    update_task(dbsession, shot, submitted_version=shot.version_id, schedule_timing=8)
    assert shot.schedule_timing == 8


def test_the_week_query_returns_the_logs_overlapping_it(dbsession, task, artist):
    shot = task()
    inside = log(dbsession, shot, artist, MONDAY, 2)
    log(dbsession, shot, artist, MONDAY + timedelta(days=8), 2)
    week = time_logs.time_logs_between(dbsession, artist, MONDAY, MONDAY + timedelta(days=7))
    assert week == [inside]
