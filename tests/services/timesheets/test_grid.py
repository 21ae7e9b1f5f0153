"""The hours a grid cell takes, and the free working slots of a day in the studio's zone."""

from datetime import UTC, date, datetime

import pytest

from stalker_web.services.scheduling.plan import Leave
from stalker_web.services.scheduling.snapshot import Calendar
from stalker_web.services.timesheets.grid import format_hours, free_slots, parse_hours
from stalker_web.time_zones import day_bounds

NINE_TO_SIX = {day: [[540, 1080]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [("", 0), (" 2.5 ", 9000), ("2,5", 9000), ("2:30", 9000), ("0:05", 300), ("8", 28800)],
)
def test_a_cell_takes_decimal_hours_or_hours_and_minutes(typed, seconds):
    assert parse_hours(typed) == seconds


@pytest.mark.parametrize(
    ("typed", "message"),
    [("lots", "is not a number of hours"), ("2:75", "is not a number of hours"),
     ("-1", "between 0 and 24"), ("25", "between 0 and 24"), ("nan", "between 0 and 24")],
)  # fmt: skip
def test_anything_else_is_refused_in_words(typed, message):
    with pytest.raises(ValueError, match=message):
        parse_hours(typed)


def test_hours_are_shown_as_typed():
    assert [format_hours(s) for s in (0, 9000, 28800, 300)] == ["", "2.5", "8", "0.08"]


def test_free_slots_follow_the_studio_zone_across_the_clock_change():
    calendar = Calendar(NINE_TO_SIX, 9, 60, "America/Montreal")
    sunday = day_bounds(date(2026, 3, 8), "America/Montreal")  # the clocks go forward
    monday = day_bounds(date(2026, 3, 9), "America/Montreal")
    assert free_slots(calendar, *sunday, [], []) == [
        (datetime(2026, 3, 8, 13, tzinfo=UTC), datetime(2026, 3, 8, 22, tzinfo=UTC))
    ]
    lunch = (datetime(2026, 3, 9, 16, tzinfo=UTC), datetime(2026, 3, 9, 17, tzinfo=UTC))
    away = Leave("annual", "", datetime(2026, 3, 9, 20, tzinfo=UTC), monday[1])
    assert free_slots(calendar, *monday, [away], [lunch]) == [
        (datetime(2026, 3, 9, 13, tzinfo=UTC), lunch[0]),
        (lunch[1], datetime(2026, 3, 9, 20, tzinfo=UTC)),
    ]
