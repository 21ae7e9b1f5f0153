"""The load of a plan: each computed person of a leaf works the working time of its span, less
holidays, their vacations and time outside their contract window, split by week.

Calendar: Monday to Friday 09:00-18:00 UTC (9 h a day, 45 h a week). Monday 2 March 2026 starts
the first week.
"""

import time
from datetime import UTC, datetime, timedelta

import pytest

from stalker_web.models import Vacation
from stalker_web.services.scheduling.load import (
    Booking,
    Person,
    StudioPeople,
    WorkingTime,
    booked_seconds,
    read_live_bookings,
    read_people,
    week_starts,
    weekly_available,
    weekly_load,
)

HOUR = 3600
WORKING_HOURS = {day: [[540, 1080]] for day in ("mon", "tue", "wed", "thu", "fri")} | {
    "sat": [],
    "sun": [],
}


def at(day: int, hour: int = 9, month: int = 3) -> datetime:
    """A moment of March 2026 (UTC): ``at(4, 13)`` is Wednesday the 4th at 13:00."""
    return datetime(2026, month, day, hour, tzinfo=UTC)


def hours(working_time: WorkingTime, person_id: int, start, end) -> float:
    return working_time.seconds(person_id, start, end) / HOUR


def table(*people: Person, holidays=()) -> WorkingTime:
    return WorkingTime(
        WORKING_HOURS,
        StudioPeople({person.id: person for person in people}, list(holidays)),
        at(1),
        at(30, month=4),
    )


def test_a_span_counts_its_working_hours_only():
    working_time = table(Person(1, "Ann"))

    assert hours(working_time, 1, at(2, 9), at(4, 13)) == 9 + 9 + 4
    assert hours(working_time, 1, at(6, 14), at(9, 11)) == 4 + 2  # over the weekend
    assert hours(working_time, 1, at(2, 10), at(2, 12)) == 2
    assert hours(working_time, 1, at(7, 0), at(8, 23)) == 0  # Saturday and Sunday
    assert hours(working_time, 1, at(2, 9), at(2, 9)) == 0


def test_holidays_vacations_and_the_contract_window_are_not_worked():
    ann = Person(1, "Ann", vacations=((at(4, 12), at(4, 15)),))
    bob = Person(2, "Bob")
    jo = Person(-3, "Jo", available_from=at(3, 9), available_until=at(4, 11))
    holiday = (at(5, 0), at(6, 0))  # Thursday
    working_time = table(ann, bob, jo, holidays=[holiday])

    assert hours(working_time, 2, at(2, 9), at(4, 13)) == 9 + 9 + 4
    assert hours(working_time, 1, at(2, 9), at(4, 13)) == 9 + 9 + 3
    assert hours(working_time, -3, at(2, 9), at(4, 13)) == 9 + 2
    assert hours(working_time, 1, at(2), at(9)) == 45 - 9 - 3
    assert hours(working_time, 2, at(2), at(9)) == 45 - 9
    assert hours(working_time, 99, at(2), at(9)) == 45 - 9  # nobody known: the studio calendar


def test_the_same_part_of_a_weekday_differs_on_a_day_with_a_leave():
    working_time = table(Person(1, "Ann"), holidays=[(at(9, 9), at(9, 12))])

    assert hours(working_time, 1, at(2, 10), at(2, 14)) == 4
    assert hours(working_time, 1, at(9, 10), at(9, 14)) == 2
    assert hours(working_time, 1, at(16, 10), at(16, 14)) == 4


def test_a_span_is_split_by_week():
    working_time = table(Person(1, "Ann"))
    weeks = week_starts(at(4, 15), 3)

    assert weeks == [at(2, 0), at(9, 0), at(16, 0)]
    pieces = working_time.weekly_seconds(1, at(5, 9), at(10, 18), weeks)
    assert [(index, seconds / HOUR) for index, seconds in pieces] == [(0, 18), (1, 18)]
    assert working_time.weekly_seconds(1, at(23), at(24), weeks) == []


def test_available_hours_are_each_active_persons_working_time_per_week():
    ann = Person(1, "Ann", vacations=((at(4, 0), at(5, 0)),))
    gone = Person(2, "Gone", is_active=False)
    jo = Person(-3, "Jo", available_from=at(12, 9))
    working_time = table(ann, gone, jo, holidays=[(at(13, 0), at(14, 0))])

    available = weekly_available(working_time, week_starts(at(2), 2))

    assert {key: seconds / HOUR for key, seconds in available.items()} == {
        (1, 0): 36,
        (1, 1): 36,
        (-3, 0): 0,
        (-3, 1): 9,
    }


def test_weekly_load_and_booked_hours_add_up_the_bookings():
    working_time = table(Person(1, "Ann"), Person(2, "Bob"))
    weeks = week_starts(at(2), 2)
    bookings = [
        Booking(10, 100, 1, at(2, 9), at(3, 18)),  # 18 h in week 0
        Booking(11, 100, 1, at(5, 9), at(10, 13)),  # 18 h in week 0, 13 h in week 1
        Booking(12, 200, 2, at(9, 9), at(20, 18)),  # 45 h in week 1, 45 h after the weeks
    ]

    load = weekly_load(working_time, bookings, weeks)
    assert {key: seconds / HOUR for key, seconds in load.items()} == {
        (1, 0): 36,
        (1, 1): 13,
        (2, 1): 45,
    }
    booked = booked_seconds(working_time, bookings)
    assert {key: seconds / HOUR for key, seconds in booked.items()} == {
        (100, 1): 36 + 13,
        (200, 2): 90,
    }


def test_eighteen_thousand_bookings_are_counted_in_a_few_seconds_at_most():
    people = [Person(number, f"P{number}", vacations=((at(9), at(13)),)) for number in range(60)]
    working_time = WorkingTime(
        WORKING_HOURS, StudioPeople({p.id: p for p in people}), at(1), at(1) + timedelta(days=800)
    )
    bookings = [
        Booking(
            number,
            number % 7,
            number % 60,
            at(2, 10) + timedelta(hours=number % 500),
            at(2, 10) + timedelta(hours=number % 500 + 30 + number % 400),
        )
        for number in range(18_000)
    ]
    weeks = week_starts(at(2), 12)

    started = time.perf_counter()
    weekly_load(working_time, bookings, weeks)
    booked_seconds(working_time, bookings)
    assert time.perf_counter() - started < 4


def test_the_live_plan_is_read_from_the_computed_resources_of_leaves(dbsession, factory):
    ann = factory.user(name="Ann", rate=50)
    bob = factory.user(name="Bob")
    department = factory.department("Lighting", members=[ann])
    bob.available_from = at(2)
    project = factory.project()
    parent = factory.task(project=project)
    leaf = factory.task(parent=parent, resources=[ann])
    unscheduled = factory.task(project=project, resources=[bob])
    for task in (parent, leaf):
        task.computed_start, task.computed_end = at(2), at(3)
        task.computed_resources = [ann]
    unscheduled.computed_resources = [bob]
    dbsession.add_all(
        [Vacation(user=ann, start=at(4), end=at(5)), Vacation(start=at(6), end=at(7))]
    )
    dbsession.flush()

    bookings = read_live_bookings(dbsession)
    people = read_people(dbsession)

    assert bookings == [Booking(leaf.id, project.id, ann.id, at(2), at(3))]
    assert people.people[ann.id] == Person(
        ann.id, "Ann", 50.0, True, (department.id,), None, None, ((at(4), at(5)),)
    )
    assert people.people[bob.id].available_from == at(2)
    assert (at(6), at(7)) in people.holidays


@pytest.mark.parametrize("weeks", [1, 12])
def test_week_starts_are_mondays(weeks):
    starts = week_starts(at(8, 23), weeks)
    assert len(starts) == weeks
    assert all(start.weekday() == 0 and start.hour == 0 for start in starts)
    assert starts[0] == at(2, 0)


def test_the_live_plan_can_be_read_for_some_people_and_a_window(dbsession, factory):
    ann, bob = factory.user(name="Ann"), factory.user(name="Bob")
    project = factory.project()
    spans = {"march": (at(2), at(6)), "april": (at(6, month=4), at(10, month=4))}
    tasks = {}
    for name, (start, end) in spans.items():
        for person in (ann, bob):
            task = factory.task(project=project, resources=[person])
            task.computed_start, task.computed_end = start, end
            task.computed_resources = [person]
            tasks[name, person.id] = task
    dbsession.add_all(
        [Vacation(user=bob, start=at(4), end=at(5)), Vacation(start=at(6), end=at(7))]
    )
    dbsession.flush()

    everyone = read_live_bookings(dbsession)
    ann_only = read_live_bookings(dbsession, user_ids=[ann.id])
    april = read_live_bookings(dbsession, start=at(1, month=4), end=at(1, month=5))
    nobody = read_live_bookings(dbsession, user_ids=[])
    people = read_people(dbsession, user_ids=[ann.id])

    assert len(everyone) == 4
    assert {booking.task_id for booking in ann_only} == {
        tasks["march", ann.id].id,
        tasks["april", ann.id].id,
    }
    assert {booking.task_id for booking in april} == {
        tasks["april", ann.id].id,
        tasks["april", bob.id].id,
    }
    assert read_live_bookings(dbsession, start=at(6), end=at(6, month=4)) == []  # ends touch
    assert nobody == []
    assert set(people.people) == {ann.id}
    assert people.holidays == [(at(6), at(7))]
    assert set(read_people(dbsession).people) >= {ann.id, bob.id}
