"""An artist's work on the home page: today's and the rest of the week's planned tasks, the
open tasks not planned yet, and the tasks sent back with the reviewers' notes."""

from datetime import UTC, datetime, timedelta

from stalker_web.services.home.work import my_work
from stalker_web.services.workflow.reviews import request_review, request_revision
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.projects import member

# A Wednesday noon: the page looks ahead to the next Wednesday night.
NOW = datetime(2026, 6, 3, 12, tzinfo=UTC)
DAY = timedelta(days=1)


def planned(factory, project, artist, name, start, days=1, **values):
    """A task of ``artist`` the last run placed from ``start`` for ``days``."""
    task = factory.task(project=project, name=name, resources=[artist], **values)
    task.computed_start, task.computed_end = start, start + days * DAY
    task.computed_resources = [artist]
    factory.dbsession.flush()
    return task


def names(items) -> list[str]:
    return [item.task.name for item in items]


def test_today_and_coming_days_in_planned_order(factory):
    project = factory.project(code="FLM")
    artist = member(project, factory.user())
    planned(factory, project, artist, "Friday", NOW + 2 * DAY)
    planned(factory, project, artist, "Running", NOW - 3 * DAY, days=4)
    planned(factory, project, artist, "Today", NOW - timedelta(hours=2))
    planned(factory, project, artist, "Next week", NOW + 6 * DAY)
    planned(factory, project, artist, "Too far", NOW + 8 * DAY)
    planned(factory, project, artist, "Last week", NOW - 8 * DAY, days=2)
    factory.version(planned(factory, project, artist, "Thursday", NOW + DAY))

    work = my_work(factory.dbsession, artist, NOW)

    assert names(work.today) == ["Running", "Today"]
    assert names(work.coming_days) == ["Thursday", "Friday", "Next week"]
    thursday = work.coming_days[0]
    assert thursday.path == "FLM / Thursday" and thursday.thumbnail_file_id is not None
    assert work.today[0].thumbnail_file_id is None
    assert work.more_this_week is False and work.unscheduled == 0


def test_today_is_the_viewer_s_day(factory):
    project = factory.project()
    artist = member(project, factory.user())
    late_evening = datetime(2026, 6, 3, 22, tzinfo=UTC)  # Thursday 07:00 in Tokyo
    planned(factory, project, artist, "Thursday", late_evening + 3 * timedelta(hours=1))

    in_utc = my_work(factory.dbsession, artist, late_evening)
    in_tokyo = my_work(factory.dbsession, artist, late_evening, "Asia/Tokyo")

    assert names(in_utc.coming_days) == ["Thursday"] and in_utc.today == []
    assert names(in_tokyo.today) == ["Thursday"]
    # Friday 12 June 00:00 in Tokyo: after today (Thursday there) and seven more days.
    assert in_tokyo.week_end == datetime(2026, 6, 11, 15, tzinfo=UTC)


def test_finished_tasks_and_other_people_s_plans_are_left_out(factory, dbsession):
    from stalker_web.services.workflow import actions as workflow

    project = factory.project()
    artist, other = member(project, factory.user()), member(project, factory.user())
    stopped = planned(factory, project, artist, "Stopped", NOW)
    create_time_log(dbsession, stopped, artist, NOW - DAY, NOW - DAY + timedelta(hours=1))
    workflow.stop(dbsession, stopped)
    planned(factory, project, other, "Theirs", NOW)

    work = my_work(dbsession, artist, NOW)

    assert work.today == [] and work.coming_days == []


def test_open_tasks_without_dates_are_counted(factory):
    project = factory.project()
    artist = member(project, factory.user())
    factory.task(project=project, resources=[artist])
    factory.task(project=project, resources=[artist])

    assert my_work(factory.dbsession, artist, NOW).unscheduled == 2


def test_a_task_sent_back_carries_the_reviewers_notes(factory, dbsession):
    project = factory.project()
    artist = member(project, factory.user())
    lead, sup = (
        member(project, factory.user(name="Lead")),
        member(project, factory.user(name="Sup")),
    )
    task = factory.task(project=project, name="Rig", resources=[artist], responsible=[lead, sup])
    create_time_log(dbsession, task, artist, NOW - DAY, NOW - DAY + timedelta(hours=2))
    first, second = request_review(dbsession, task, artist)
    request_revision(dbsession, first, 2, "h", "The elbow pops.")
    request_revision(dbsession, second, 1, "h", "Knees too.")

    work = my_work(dbsession, artist, NOW)

    assert names(work.revisions) == ["Rig"]
    notes = work.revisions[0].notes
    assert [(note.reviewer.name, note.description) for note in notes] == [
        ("Lead", "The elbow pops."),
        ("Sup", "Knees too."),
    ]


def test_the_same_queries_for_ten_times_more_tasks(factory, count_queries):
    project = factory.project()
    artist = member(project, factory.user())
    counts = []
    for size in (2, 20):
        for number in range(size):
            task = planned(factory, project, artist, f"T{size}-{number}", NOW + (number % 4) * DAY)
            factory.version(task)
        factory.dbsession.expire_all()
        with count_queries() as counter:
            my_work(factory.dbsession, artist, NOW)
        counts.append(counter.count)
    assert counts[0] == counts[1]
