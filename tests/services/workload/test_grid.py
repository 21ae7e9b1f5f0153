"""The workload grid: scheduled against available hours per person and week, its heat classes,
totals, the project's share, the weeks asked for and a fixed number of queries."""

from datetime import date

import pytest

from stalker_web.models import TimeLog, Vacation
from stalker_web.services.errors import ValidationError
from stalker_web.services.tasks.dependencies import add_dependency
from stalker_web.services.workload.grid import Load, weeks_from, workload_grid
from stalker_web.services.workload.scope import WorkloadPerson

from ...factories.accounts import cheap_users
from .conftest import WORKWEEK_HOURS, at

HOUR = 3600
WEEKS = weeks_from(date(2026, 3, 4), 3, date(2026, 1, 1))


def person(user) -> WorkloadPerson:
    return WorkloadPerson(user.id, user.name)


def test_each_cell_is_the_scheduled_hours_of_the_week_against_the_available(
    dbsession, factory, book
):
    ann, bob = factory.user(name="Ann"), factory.user(name="Bob")
    book(ann, at(2), at(4, 13))  # 9 + 9 + 4 = 22 h in week one
    book(ann, at(6, 9), at(10, 18))  # 9 h in week one, 18 h in week two
    book(bob, at(1, month=1), at(1, month=2))  # before the weeks: not read
    dbsession.add(Vacation(user=ann, start=at(12, 0), end=at(14, 0)))  # Thu, Fri of week two

    grid = workload_grid(dbsession, [person(ann), person(bob)], WEEKS)

    ann_row, bob_row = grid.rows
    assert [cell.scheduled_seconds / HOUR for cell in ann_row.cells] == [31, 18, 0]
    assert [cell.available_seconds / HOUR for cell in ann_row.cells] == [
        WORKWEEK_HOURS,
        WORKWEEK_HOURS - 18,
        WORKWEEK_HOURS,
    ]
    assert [cell.text for cell in ann_row.cells] == ["31 / 45 h", "18 / 27 h", "0 / 45 h"]
    assert [cell.scheduled_seconds for cell in bob_row.cells] == [0, 0, 0]
    assert ann_row.total.text == "49 / 117 h"
    assert [total.text for total in grid.totals] == ["31 / 90 h", "18 / 72 h", "0 / 90 h"]
    assert grid.total.text == "49 / 252 h"


def test_over_booked_cells_are_marked_in_words_as_well_as_colour(dbsession, factory, book):
    ann = factory.user(name="Ann")
    book(ann, at(2), at(7))
    book(ann, at(4), at(7))  # two tasks at once from Wednesday: 45 + 27 h

    cell = workload_grid(dbsession, [person(ann)], WEEKS).rows[0].cells[0]

    assert cell.over_booked
    assert cell.heat == "load-over"
    assert cell.sentence == "Over-booked: Scheduled 72 h of 45 h available"


def test_effort_tasks_count_their_effort_spread_over_their_span(dbsession, factory, book):
    """tj3 interleaves a person's effort tasks: two whose spans are the same week hold 2 + 3
    days of work there (45 h), not twice the week; a task over two weeks spreads its effort by
    the working time in each."""
    ann = factory.user(name="Ann")
    for days in (2, 3):
        book(
            ann, at(2), at(6, 18), schedule_model="effort", schedule_timing=days, schedule_unit="d"
        )
    # 3 days of effort over Thursday 12 to Wednesday 18 (5 working days): 2 + 3 of them.
    book(ann, at(12), at(18, 18), schedule_model="effort", schedule_timing=3, schedule_unit="d")

    cells = workload_grid(dbsession, [person(ann)], WEEKS, now=at(1)).rows[0].cells

    assert [round(cell.scheduled_seconds / HOUR, 1) for cell in cells] == [45, 10.8, 16.2]
    assert not cells[0].over_booked


def test_logged_work_fills_the_span_before_now_and_the_rest_the_span_after(
    dbsession, factory, book
):
    ann = factory.user(name="Ann")
    # 5 days of effort over two working weeks; Ann logged Monday morning.
    task = book(
        ann, at(2), at(13, 18), schedule_model="effort", schedule_timing=5, schedule_unit="d"
    )
    dbsession.add(TimeLog(task=task, resource=ann, start=at(2, 9), end=at(2, 18)))
    dbsession.flush()

    # On Wednesday morning: 9 h logged before, the other 36 h over the 72 working hours left.
    cells = workload_grid(dbsession, [person(ann)], WEEKS, now=at(4)).rows[0].cells

    assert [cell.scheduled_seconds / HOUR for cell in cells] == [9 + 13.5, 22.5, 0]


def test_the_effort_of_a_task_is_shared_by_its_people_by_efficiency(dbsession, factory, book):
    ann, bob = factory.user(name="Ann"), factory.user(name="Bob", efficiency=0.5)
    task = book(
        ann, at(2), at(6, 18), schedule_model="effort", schedule_timing=3, schedule_unit="d"
    )
    task.computed_resources = [ann, bob]
    dbsession.flush()

    grid = workload_grid(dbsession, [person(ann), person(bob)], WEEKS, now=at(1))

    # 27 h of effort over an efficiency of 1.5: each of them is booked 18 h.
    assert [row.cells[0].scheduled_seconds / HOUR for row in grid.rows] == [18, 18]


@pytest.mark.parametrize(
    ("scheduled", "available", "heat"),
    [
        (0, 40, "load-0"),
        (10, 40, "load-50"),
        (20, 40, "load-50"),
        (30, 40, "load-80"),
        (40, 40, "load-100"),
        (41, 40, "load-over"),
        (0, 0, "load-off"),
        (2, 0, "load-over"),
    ],
)
def test_the_heat_class_follows_the_load_ratio(scheduled, available, heat):
    assert Load(scheduled * HOUR, available * HOUR).heat == heat


def test_a_projects_page_shows_the_projects_share_of_the_whole_load(dbsession, factory, book):
    ann = factory.user(name="Ann")
    film = factory.project()
    book(ann, at(2), at(3), project=film)  # 9 h on the film
    book(ann, at(3), at(4))  # 9 h on another project

    cell = workload_grid(dbsession, [person(ann)], WEEKS, film.id).rows[0].cells[0]

    assert cell.scheduled_seconds == 18 * HOUR
    assert cell.project_text == "9 h on this project"
    assert cell.sentence.endswith(", 9 h on this project")


def test_the_weeks_are_mondays_from_the_week_asked_for():
    assert [week.date() for week in WEEKS] == [
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
    ]
    assert len(weeks_from(None, None, date(2026, 3, 4))) == 12
    assert weeks_from(None, 1, date(2026, 3, 8))[0].date() == date(2026, 3, 2)


@pytest.mark.parametrize("count", [0, -1, 27, 1000])
def test_a_week_count_outside_one_to_26_is_refused(count):
    with pytest.raises(ValidationError) as refused:
        weeks_from(None, count, date(2026, 3, 4))
    assert refused.value.field == "weeks"
    assert "between 1 and 26" in refused.value.message


def test_nobody_to_show_sends_no_query(dbsession, count_queries):
    with count_queries() as counter:
        grid = workload_grid(dbsession, [], WEEKS)
    assert grid.rows == [] and counter.count == 0


def _team(dbsession, factory, scale: int):
    people = cheap_users(dbsession, 2 * scale)
    for user in people:
        dbsession.add(Vacation(user=user, start=at(3, 0), end=at(4, 0)))
    previous = None
    for index in range(4 * scale):
        task = factory.task(resources=[people[index % len(people)]])
        task.computed_start, task.computed_end = at(2 + index % 10), at(5 + index % 10)
        task.computed_resources = [people[index % len(people)]]
        if previous is not None:
            add_dependency(dbsession, task, previous)
        previous = task
    dbsession.flush()
    return [person(user) for user in people]


def test_the_grid_sends_the_same_number_of_queries_for_ten_times_the_people(
    dbsession, factory, count_queries
):
    counts = []
    for scale in (1, 10):
        people = _team(dbsession, factory, scale)
        dbsession.expire_all()
        with count_queries() as counter:
            grid = workload_grid(dbsession, people, WEEKS, now=at(1))
        assert len(grid.rows) == len(people)
        assert any(cell.scheduled_seconds for row in grid.rows for cell in row.cells)
        counts.append(counter.count)
    assert counts[0] == counts[1]
