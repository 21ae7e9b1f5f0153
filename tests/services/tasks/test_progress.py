"""Progress figures: effort, duration and length leaves, containers summing their leaves, the
project totals, the working-time arithmetic and the number of queries."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from stalker_web.models import Project, Task, TimeLog
from stalker_web.models.schedule import ScheduleModel, TimeUnit
from stalker_web.services.studio.demo import load_demo
from stalker_web.services.tasks import progress
from stalker_web.services.tasks.progress import (
    Progress,
    elapsed_seconds,
    format_work_time,
    project_progress,
    studio_calendar,
    task_progress,
    working_seconds,
)

from ...factories.accounts import cheap_users
from ...factories.tasks import production

HOUR = 3600
DAY = 24 * HOUR
# 2026-01-05 is a Monday; the default studio works Monday to Friday, 09:00-18:00 (9 h a day).
MONDAY = datetime(2026, 1, 5, tzinfo=UTC)
NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def at(day: int, hour: float = 0) -> datetime:
    """``day`` days and ``hour`` hours after Monday 2026-01-05 00:00 UTC."""
    return MONDAY + timedelta(days=day, hours=hour)


@pytest.fixture
def calendar(factory):
    return factory.studio()


@pytest.fixture
def project(factory):
    return factory.project()


@pytest.fixture
def worker(dbsession):
    return cheap_users(dbsession, 1)[0]


@pytest.fixture
def log(dbsession, worker):
    """Log ``hours`` on ``task`` from ``start`` (adds and flushes a TimeLog)."""

    def add(task, start, hours, resource=None):
        time_log = TimeLog(
            task=task,
            resource=resource or worker,
            start=start,
            end=start + timedelta(hours=hours),
        )
        dbsession.add(time_log)
        dbsession.flush()
        return time_log

    return add


def figures(dbsession, calendar, *tasks, now=NOW) -> dict[int, Progress]:
    return task_progress(dbsession, tasks, calendar, now)


# Effort leaves: the sum of their time logs


def test_an_effort_leaf_logs_the_sum_of_its_time_logs(dbsession, factory, project, calendar, log):
    task = factory.task(project=project, schedule_timing=2, schedule_unit="d")
    log(task, at(0, 9), 3)
    log(task, at(1, 9), 6)
    result = figures(dbsession, calendar, task)[task.id]
    assert result.scheduled_seconds == 2 * 9 * HOUR
    assert result.logged_seconds == 9 * HOUR
    assert result.remaining_seconds == 9 * HOUR
    assert result.percent_complete == 50


def test_logs_are_wall_clock_time_and_keep_fractions_of_a_second(
    dbsession, factory, project, calendar, log
):
    task = factory.task(project=project, schedule_timing=100, schedule_unit="h")
    log(task, at(5, 9), 48)  # a weekend counts in full: logs are uninterrupted time
    log(task, at(8, 9), 1.25 / HOUR)
    assert figures(dbsession, calendar, task)[task.id].logged_seconds == 48 * HOUR + 1.25


def test_an_effort_leaf_without_logs_has_logged_nothing(dbsession, factory, project, calendar):
    task = factory.task(project=project, schedule_timing=3, schedule_unit="h")
    assert figures(dbsession, calendar, task)[task.id] == Progress(3 * HOUR, 0)


def test_over_logged_work_goes_above_100_percent(dbsession, factory, project, calendar, log):
    task = factory.task(project=project, schedule_timing=1, schedule_unit="h")
    log(task, at(0, 9), 3)
    result = figures(dbsession, calendar, task)[task.id]
    assert result.percent_complete == 300
    assert result.remaining_seconds == -2 * HOUR


def test_zero_scheduled_is_zero_percent_not_a_division_error(
    dbsession, factory, project, calendar, log
):
    task = factory.task(project=project, schedule_timing=0)
    log(task, at(0, 9), 2)
    result = figures(dbsession, calendar, task)[task.id]
    assert (result.scheduled_seconds, result.logged_seconds) == (0, 2 * HOUR)
    assert result.percent_complete == 0
    assert Progress().percent_complete == 0


def test_units_convert_on_the_studio_calendar(dbsession, factory, project, calendar):
    week = factory.task(project=project, schedule_timing=1, schedule_unit=TimeUnit.WEEK)
    minutes = factory.task(project=project, schedule_timing=90, schedule_unit=TimeUnit.MINUTE)
    calendar_days = factory.task(
        project=project, schedule_timing=2, schedule_unit="d", schedule_model="duration"
    )
    result = figures(dbsession, calendar, week, minutes, calendar_days)
    assert result[week.id].scheduled_seconds == 5 * 9 * HOUR
    assert result[minutes.id].scheduled_seconds == 90 * 60
    assert result[calendar_days.id].scheduled_seconds == 2 * DAY


# Duration leaves: the elapsed calendar part of their range


@pytest.fixture
def ten_days(factory, project):
    """A 10-day duration task planned over 10 calendar days from Monday 09:00."""
    task = factory.task(
        project=project, schedule_timing=10, schedule_unit="d", schedule_model="duration"
    )
    task.set_dates(at(0, 9), at(10, 9))
    return task


@pytest.mark.parametrize(
    ("now", "elapsed"),
    [(at(0), 0), (at(0, 9), 0), (at(2, 21), 2.5 * DAY), (at(10, 9), 10 * DAY), (NOW, 10 * DAY)],
)
def test_a_duration_leaf_logs_the_calendar_time_elapsed(
    dbsession, calendar, ten_days, now, elapsed
):
    result = figures(dbsession, calendar, ten_days, now=now)[ten_days.id]
    assert result.logged_seconds == elapsed
    assert result.percent_complete == pytest.approx(elapsed / (10 * DAY) * 100)


def test_computed_dates_win_over_planned_ones(dbsession, calendar, ten_days):
    ten_days.computed_start, ten_days.computed_end = at(7, 9), at(17, 9)
    dbsession.flush()
    assert figures(dbsession, calendar, ten_days, now=at(8, 9))[ten_days.id].logged_seconds == DAY


def test_time_logs_do_not_count_on_a_duration_leaf(dbsession, calendar, ten_days, log):
    log(ten_days, at(0, 9), 5)
    assert figures(dbsession, calendar, ten_days, now=at(1, 9))[ten_days.id].logged_seconds == DAY


def test_a_duration_or_length_leaf_without_dates_has_logged_nothing(
    dbsession, factory, project, calendar
):
    for model in ("duration", "length"):
        task = factory.task(project=project, schedule_model=model, schedule_timing=3)
        assert figures(dbsession, calendar, task)[task.id] == Progress(3 * HOUR, 0)


# Length leaves: the elapsed working time of their range (Stalker's bug fixed)


@pytest.fixture
def length_task(factory, project, dbsession):
    """A 5-day length task scheduled from Friday 09:00 to the next Thursday 18:00."""
    task = factory.task(
        project=project, schedule_timing=5, schedule_unit="d", schedule_model="length"
    )
    task.computed_start, task.computed_end = at(4, 9), at(10, 18)
    dbsession.flush()
    return task


def test_a_length_leaf_counts_working_time_across_a_weekend(dbsession, calendar, length_task):
    # Friday 09:00-18:00 and Monday 09:00-12:00; the weekend between is not working time.
    result = figures(dbsession, calendar, length_task, now=at(7, 12))[length_task.id]
    assert result.scheduled_seconds == 5 * 9 * HOUR
    assert result.logged_seconds == 12 * HOUR
    assert result.percent_complete == pytest.approx(12 / 45 * 100)


def test_a_length_leaf_ends_at_100_percent(dbsession, calendar, length_task):
    # Stalker reports 45 "seconds" here (days times daily hours); working time is 45 hours.
    result = figures(dbsession, calendar, length_task, now=at(30))[length_task.id]
    assert result.logged_seconds == 45 * HOUR
    assert result.percent_complete == 100


def test_a_length_leaf_during_the_weekend_stays_at_fridays_figure(dbsession, calendar, length_task):
    saturday = figures(dbsession, calendar, length_task, now=at(5, 15))[length_task.id]
    assert saturday.logged_seconds == 9 * HOUR


def minute_by_minute(start: datetime, end: datetime, working_hours) -> float:
    """The working seconds of [start, end], counted one minute at a time (the slow way)."""
    weekdays = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    seconds = 0
    moment = start
    while moment < end:
        minute_of_day = moment.hour * 60 + moment.minute
        intervals = working_hours[weekdays[moment.weekday()]]
        if any(first <= minute_of_day < last for first, last in intervals):
            seconds += 60
        moment += timedelta(minutes=1)
    return seconds


def test_working_seconds_agree_with_counting_minute_by_minute(calendar):
    calendar.working_hours = {
        "mon": [[540, 780], [840, 1080]],
        "tue": [[540, 1080]],
        "wed": [[0, 120], [1320, 1440]],
        "sat": [[600, 720]],
    }
    rng = random.Random(5)
    for _ in range(30):
        start = at(rng.randint(0, 20), rng.randint(0, 95) / 4)
        end = start + timedelta(minutes=15 * rng.randint(0, 4 * 24 * 24))
        expected = minute_by_minute(start, end, calendar.working_hours)
        assert working_seconds(start, end, calendar.working_hours) == expected, (start, end)


def test_working_seconds_of_whole_weeks_and_empty_ranges(calendar):
    hours = calendar.working_hours
    assert working_seconds(at(0), at(7 * 52), hours) == 52 * 45 * HOUR
    assert working_seconds(at(3, 10), at(3, 10), hours) == 0
    assert working_seconds(at(3, 10), at(1), hours) == 0
    assert working_seconds(at(5, 9), at(7, 9), hours) == 0  # a weekend


def test_elapsed_seconds_is_zero_before_the_start(calendar):
    for model in (ScheduleModel.DURATION, ScheduleModel.LENGTH):
        assert elapsed_seconds(model, at(1), at(2), at(0), calendar) == 0
        assert elapsed_seconds(model, None, at(2), at(3), calendar) == 0


# Containers: the sums over the leaves of their subtree


def test_containers_sum_the_leaves_of_their_subtree(dbsession, factory, project, calendar, log):
    sequence = factory.task("Sequence", project=project)
    first = factory.task("Shot", parent=sequence, sequence=sequence)
    second = factory.task("Shot", parent=sequence, sequence=sequence)
    animation = factory.task(parent=first, schedule_timing=4, schedule_unit="h")
    lighting = factory.task(parent=first, schedule_timing=2, schedule_unit="h")
    comp = factory.task(parent=second, schedule_timing=1, schedule_unit="d")
    log(animation, at(0, 9), 4)
    log(lighting, at(0, 13), 1)
    log(comp, at(1, 9), 3)
    result = figures(dbsession, calendar, sequence, first, second, lighting)
    # The containers' own timings (1 h each by default) are not work: only leaves count.
    assert result[first.id] == Progress(6 * HOUR, 5 * HOUR)
    assert result[second.id] == Progress(9 * HOUR, 3 * HOUR)
    assert result[sequence.id] == Progress(15 * HOUR, 8 * HOUR)
    assert result[lighting.id] == Progress(2 * HOUR, HOUR)
    assert set(result) == {sequence.id, first.id, second.id, lighting.id}


def test_a_container_sums_leaves_of_every_model(dbsession, factory, project, calendar, log):
    parent = factory.task(project=project)
    effort = factory.task(parent=parent, schedule_timing=10, schedule_unit="h")
    duration = factory.task(
        parent=parent, schedule_timing=2, schedule_unit="d", schedule_model="duration"
    )
    duration.set_dates(at(0), at(2))
    log(effort, at(0, 9), 5)
    result = figures(dbsession, calendar, parent, now=at(1))[parent.id]
    assert result == Progress(10 * HOUR + 2 * DAY, 5 * HOUR + DAY)


def test_only_the_given_tasks_and_flushed_ones_are_reported(dbsession, factory, project, calendar):
    kept = factory.task(project=project, schedule_timing=2)
    factory.task(project=project)
    unsaved = Task(project=project, name="Unsaved", status=kept.status)
    assert figures(dbsession, calendar, kept, unsaved) == {kept.id: Progress(2 * HOUR, 0)}
    assert figures(dbsession, calendar) == {}


def test_many_subtrees_are_read_through_their_projects_with_the_same_figures(
    dbsession, factory, project, calendar, log, monkeypatch
):
    other_project = factory.project()
    roots = [factory.task(project=project) for _ in range(3)]
    leaves = [factory.task(parent=root, schedule_timing=i + 1) for i, root in enumerate(roots)]
    stranger = factory.task(project=other_project, schedule_timing=7)
    log(leaves[1], at(0, 9), 1)
    by_pattern = figures(dbsession, calendar, *roots, stranger)
    monkeypatch.setattr(progress, "MAX_SUBTREE_PATTERNS", 1)
    assert figures(dbsession, calendar, *roots, stranger) == by_pattern
    assert by_pattern[roots[1].id] == Progress(2 * HOUR, HOUR)
    assert by_pattern[stranger.id] == Progress(7 * HOUR, 0)


# The project's totals


def test_project_totals_sum_the_root_tasks(dbsession, factory, project, calendar, log):
    asset = factory.task("Asset", project=project)
    model = factory.task(parent=asset, schedule_timing=2, schedule_unit="d")
    rig = factory.task(parent=asset, schedule_timing=1, schedule_unit="w")
    layout = factory.task(
        project=project, schedule_timing=2, schedule_unit="d", schedule_model="length"
    )
    layout.set_dates(at(0, 9), at(1, 18))
    edit = factory.task(
        project=project, schedule_timing=1, schedule_unit="d", schedule_model="duration"
    )
    edit.set_dates(at(0), at(1))
    log(model, at(0, 9), 9)
    log(rig, at(1, 9), 4.5)
    other = factory.task(schedule_timing=50)  # another project's work is not counted
    log(other, at(2, 9), 5)

    totals = project_progress(dbsession, project, calendar, at(0, 21))
    assert totals.scheduled_seconds == (18 + 45 + 18) * HOUR + DAY
    assert totals.logged_seconds == (9 + 4.5 + 9) * HOUR + 21 * HOUR
    roots = dbsession.scalars(
        select(Task).where(Task.project_id == project.id, Task.parent_id.is_(None))
    ).all()
    by_root = task_progress(dbsession, roots, calendar, at(0, 21)).values()
    assert sum(by_root, Progress()) == totals


def test_an_empty_project_has_no_progress(dbsession, project, calendar):
    totals = project_progress(dbsession, project, calendar, NOW)
    assert (totals.scheduled_seconds, totals.logged_seconds, totals.percent_complete) == (0, 0, 0)


# A fixed number of queries


def logged_production(factory, log, scale: int) -> Project:
    """``production`` with an hour logged on every leaf and a few duration leaves."""
    project, _, _ = production(factory, scale)
    leaves = factory.dbsession.scalars(
        select(Task).where(Task.project_id == project.id, ~Task.children.any())
    ).all()
    for number, leaf in enumerate(leaves):
        log(leaf, at(number % 300, 9 + scale), 1)  # one worker: productions log apart
    for _ in range(scale):
        factory.task(project=project, schedule_model="duration").set_dates(at(0), at(3))
    factory.dbsession.flush()
    return project


def test_queries_do_not_grow_with_the_number_of_tasks(
    dbsession, factory, calendar, log, count_queries
):
    small, big = logged_production(factory, log, 2), logged_production(factory, log, 6)
    counts = []
    for project in (small, big):
        roots = dbsession.scalars(
            select(Task).where(Task.project_id == project.id, Task.parent_id.is_(None))
        ).all()
        with count_queries() as by_task:
            result = task_progress(dbsession, roots, calendar, NOW)
        with count_queries() as by_project:
            totals = project_progress(dbsession, project, calendar, NOW)
        assert sum(result.values(), Progress()) == totals
        assert totals.logged_seconds > 0
        counts.append((by_task.count, by_project.count))
    assert counts == [(2, 1), (2, 1)]


# Showing times


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 h"),
        (6.5 * HOUR, "6.5 h"),
        (9 * HOUR, "1 d"),
        (40.5 * HOUR, "4.5 d"),
        (-3 * HOUR, "-3 h"),
        (9000 * HOUR, "1,000 d"),
    ],
)
def test_format_work_time_uses_hours_under_a_working_day_else_days(seconds, text):
    assert format_work_time(seconds, 9) == text


# The demo studio


def test_the_demo_studio_shows_progress_with_consistent_time_logs(dbsession, tmp_path):
    demo = load_demo(dbsession, repository_root=tmp_path)
    calendar = studio_calendar(dbsession)
    for project in demo.projects:
        totals = project_progress(dbsession, project, calendar, datetime.now(UTC))
        assert 0 < totals.percent_complete < 100, project.code
    logs = dbsession.scalars(select(TimeLog).order_by(TimeLog.resource_id, TimeLog.start)).all()
    assert len(logs) == demo.time_log_count > 50
    for time_log in logs:
        task = time_log.task
        assert task.children == []
        assert all(
            dependency.depends_on.status.code == "CMPL" for dependency in task.task_depends_on
        )
        assert task.resources == [time_log.resource]
        assert time_log.end <= datetime.now(UTC)
    for before, after in zip(logs, logs[1:], strict=False):
        if before.resource_id == after.resource_id:
            assert before.end <= after.start  # no resource is booked twice at once
