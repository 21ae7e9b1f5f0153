"""The tasks behind a person's workload cell: hours that week, path, dates, standing, and
anonymous busy time for projects the viewer cannot read; a fixed number of queries."""

from datetime import UTC, date, datetime

from stalker_web.services.accounts.readable_projects import EVERY_PROJECT, ReadableProjects
from stalker_web.services.gantt.people import BUSY
from stalker_web.services.scheduling.lateness import Standing
from stalker_web.services.workload.cell import person_weeks
from stalker_web.services.workload.grid import weeks_from

from .conftest import at

HOUR = 3600
WEEKS = weeks_from(date(2026, 3, 2), 2, date(2026, 1, 1))
NOW = datetime(2026, 3, 20, tzinfo=UTC)


def test_a_cell_lists_the_tasks_of_the_week_with_their_hours_longest_first(
    dbsession, factory, book
):
    ann = factory.user(name="Ann")
    project = factory.project(code="FILM")
    shot = factory.task("Shot", project=project, name="SH010")
    layout = book(ann, at(2), at(3), project=project, parent=shot, name="Layout")
    animation = book(ann, at(4), at(11, 18), project=project, parent=shot, name="Animation")

    first, second = person_weeks(dbsession, ann, WEEKS, readable=EVERY_PROJECT, now=NOW)

    assert [booked.label for booked in first.tasks] == [
        "FILM / SH010 / Animation",
        "FILM / SH010 / Layout",
    ]
    assert [booked.seconds / HOUR for booked in first.tasks] == [27, 9]
    assert first.load.text == "36 / 45 h"
    assert [booked.task for booked in second.tasks] == [animation]
    assert second.tasks[0].hours == "27"
    assert first.tasks[1].task == layout
    assert first.tasks[1].standing is Standing.LATE  # ended before NOW, not finished


def test_tasks_of_projects_the_viewer_cannot_read_are_busy_time_only(dbsession, factory, book):
    ann = factory.user(name="Ann")
    secret = factory.project(name="Secret")
    book(ann, at(2), at(3), project=secret, name="Hidden name")

    week = person_weeks(dbsession, ann, WEEKS[:1], readable=ReadableProjects.only([]), now=NOW)[0]

    assert [(booked.task, booked.label) for booked in week.tasks] == [(None, BUSY)]
    assert week.tasks[0].seconds == 9 * HOUR


def test_a_persons_weeks_send_the_same_number_of_queries_for_ten_times_the_tasks(
    dbsession, factory, book, count_queries
):
    counts = []
    for scale in (1, 10):
        ann = factory.user()
        project = factory.project()
        for index in range(3 * scale):
            book(ann, at(2 + index % 3), at(4 + index % 3), project=project)
        dbsession.expire_all()
        with count_queries() as counter:
            weeks = person_weeks(dbsession, ann, WEEKS, readable=EVERY_PROJECT, now=NOW)
        assert sum(len(week.tasks) for week in weeks) >= 3 * scale
        counts.append(counter.count)
    assert counts[0] == counts[1]
