"""Time zones: local moments to UTC and back, across the clock changes, and how they are shown."""

from datetime import UTC, date, datetime

import pytest

from stalker_web.services.scheduling.fit import add_working_minutes, working_minutes
from stalker_web.services.scheduling.snapshot import Calendar
from stalker_web.services.tasks.progress import working_seconds
from stalker_web.time_zones import (
    NonexistentLocalTime,
    UnknownTimeZone,
    at_minute,
    checked_zone_name,
    day_bounds,
    format_moment,
    to_local,
    to_utc,
)

MONTREAL = "America/Montreal"
WEEKDAYS_9_TO_18 = {
    **{day: [[540, 1080]] for day in ("mon", "tue", "wed", "thu", "fri")},
    "sat": [],
    "sun": [],
}


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_a_local_time_becomes_utc_and_back_in_winter_and_in_summer():
    assert to_utc(datetime(2026, 3, 6, 9, 0), MONTREAL) == utc(2026, 3, 6, 14, 0)
    assert to_utc(datetime(2026, 3, 9, 9, 0), MONTREAL) == utc(2026, 3, 9, 13, 0)
    assert to_local(utc(2026, 3, 9, 13, 0), MONTREAL).replace(tzinfo=None) == datetime(
        2026, 3, 9, 9, 0
    )


def test_a_time_the_clocks_skip_in_spring_is_refused_in_words():
    # 8 March 2026: Montréal's clocks jump from 02:00 to 03:00.
    with pytest.raises(NonexistentLocalTime, match="2026-03-08 02:30 does not exist"):
        to_utc(datetime(2026, 3, 8, 2, 30), MONTREAL)
    assert to_utc(datetime(2026, 3, 8, 3, 0), MONTREAL) == utc(2026, 3, 8, 7, 0)


def test_a_time_the_clocks_show_twice_in_autumn_is_read_as_the_first():
    # 1 November 2026: 01:30 happens at 05:30 UTC (summer time), then again at 06:30 UTC.
    assert to_utc(datetime(2026, 11, 1, 1, 30), MONTREAL) == utc(2026, 11, 1, 5, 30)


def test_a_moment_is_shown_in_each_zone_with_its_mark():
    moment = utc(2026, 3, 8, 14, 0)
    assert format_moment(moment, MONTREAL) == "2026-03-08 10:00 EDT"
    assert format_moment(utc(2026, 3, 6, 14, 0), MONTREAL) == "2026-03-06 09:00 EST"
    assert format_moment(moment, "Asia/Kolkata") == "2026-03-08 19:30 IST"
    assert format_moment(moment, None) == "2026-03-08 14:00 UTC"
    # A zone without letters for its offset is marked with the offset.
    assert format_moment(moment, "Asia/Kathmandu") == "2026-03-08 19:45 UTC+05:45"
    assert format_moment(moment, MONTREAL, "%Y-%m-%d") == "2026-03-08"
    assert format_moment(moment, MONTREAL, "%H:%M", mark=False) == "10:00"


def test_a_day_of_the_clock_change_is_23_hours_long():
    start, end = day_bounds(date(2026, 3, 8), MONTREAL)
    assert (start, end) == (utc(2026, 3, 8, 5, 0), utc(2026, 3, 9, 4, 0))
    assert at_minute(date(2026, 3, 8), 150, MONTREAL) == utc(2026, 3, 8, 7, 30)  # moved forward


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "   ", "america/montreal", "x" * 300, None])
def test_an_unknown_zone_name_is_refused(name):
    with pytest.raises(UnknownTimeZone, match="not a time zone name"):
        checked_zone_name(name)


def test_working_hours_are_local_hours_across_the_spring_change():
    calendar = Calendar(WEEKDAYS_9_TO_18, 9, 60, MONTREAL)
    # Friday 6 March (EST) and Monday 9 March (EDT): 09:00-18:00 local each day.
    friday = (utc(2026, 3, 6, 14, 0), utc(2026, 3, 6, 23, 0))
    monday = (utc(2026, 3, 9, 13, 0), utc(2026, 3, 9, 22, 0))
    assert working_minutes(calendar, *friday, []) == 540
    assert working_minutes(calendar, *monday, []) == 540
    assert working_minutes(calendar, utc(2026, 3, 9, 12, 0), utc(2026, 3, 9, 14, 0), []) == 60
    # After Friday's last hour, the next working moment is Monday 09:00 EDT.
    assert add_working_minutes(calendar, utc(2026, 3, 6, 23, 0), 0, []) == monday[0]
    assert add_working_minutes(calendar, utc(2026, 3, 6, 22, 0), 120, []) == utc(2026, 3, 9, 14, 0)
    whole_week = working_seconds(
        utc(2026, 3, 2, 0, 0), utc(2026, 3, 14, 0, 0), WEEKDAYS_9_TO_18, MONTREAL
    )
    assert whole_week == 10 * 9 * 3600
    assert working_seconds(*monday, WEEKDAYS_9_TO_18, MONTREAL) == 9 * 3600
    assert working_seconds(*monday, WEEKDAYS_9_TO_18) == 5 * 3600  # read in UTC: 13:00-18:00
