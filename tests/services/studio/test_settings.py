"""The studio service: parsing working hours, validating every setting before saving any."""

import copy

import pytest

from stalker_web.config import WEEKDAYS
from stalker_web.services.errors import ConflictError, ValidationError
from stalker_web.services.studio import settings as service

WEEK = {day: "09:00-18:00" for day in WEEKDAYS[:5]} | {"sat": "off", "sun": ""}


def save(dbsession, studio, **changes):
    values = {
        "submitted_version": studio.version_id,
        "name": "Blue Sky",
        "working_hours": WEEK,
        "daily_working_hours": 8,
        "timing_resolution_minutes": 15,
    } | changes
    return service.update_studio(dbsession, studio, **values)


def snapshot(studio) -> tuple:
    return (
        studio.name,
        copy.deepcopy(studio.working_hours),
        studio.daily_working_hours,
        studio.timing_resolution_minutes,
    )


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("", []),
        (None, []),
        ("  OFF ", []),
        ("09:00-18:00", [[540, 1080]]),
        ("14:00 - 18:30,09:00-13:00", [[540, 780], [840, 1110]]),
        ("9:05-9:10", [[545, 550]]),
        ("00:00-24:00", [[0, 1440]]),
        ("09:00-12:00, 12:00-13:00", [[540, 720], [720, 780]]),
    ],
)
def test_working_hours_are_parsed_into_sorted_minute_pairs(typed, expected):
    assert service.parse_working_hours(typed, "mon") == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("nine to five", "nine to five is not a time range."),
        ("09:00-13:00,", "An empty part is not a time range."),
        ("0900-1300", "0900-1300 is not a time range."),
        ("09:00-13:00 14:00-18:00", "is not a time range."),
        ("13:00-09:00", "13:00-09:00 must end after it starts."),
        ("09:00-09:00", "09:00-09:00 must end after it starts."),
        ("09:00-13:00, 12:30-15:00", "09:00-13:00 and 12:30-15:00 overlap"),
        ("14:00-18:00, 08:00-15:00", "08:00-15:00 and 14:00-18:00 overlap"),
        ("22:00-24:01", "22:00-24:01 is outside the day"),
        ("25:00-26:00", "25:00-26:00 is outside the day"),
        ("09:60-10:00", "09:60-10:00 has minutes past 59"),
        ("٠٩:٠٠-١٠:٠٠", "is not a time range."),
    ],
)
def test_bad_working_hours_are_refused_under_the_days_field(typed, message):
    with pytest.raises(ValidationError) as error:
        service.parse_working_hours(typed, "wed")
    assert message in error.value.message
    assert error.value.field == "wed"


def test_format_working_hours_round_trips_what_the_parser_reads():
    intervals = [[540, 780], [840, 1440]]
    typed = service.format_working_hours(intervals)
    assert typed == "09:00-13:00, 14:00-24:00"
    assert service.parse_working_hours(typed, "mon") == intervals
    assert service.format_working_hours([]) == "off"


def test_get_studio_returns_the_one_studio(dbsession, factory):
    assert service.get_studio(dbsession, factory.config) is factory.studio()


def test_update_studio_saves_every_setting(dbsession, factory):
    studio = factory.studio()
    hours = WEEK | {"fri": "09:00-13:00", "sat": "10:00-12:00, 13:00-15:00"}
    save(dbsession, studio, name="  Blue   Sky ", working_hours=hours)
    dbsession.expire(studio)
    assert studio.name == "Blue Sky"
    assert studio.working_hours["fri"] == [[540, 780]]
    assert studio.working_hours["sat"] == [[600, 720], [780, 900]]
    assert studio.working_hours["sun"] == []
    assert studio.daily_working_hours == 8
    assert studio.timing_resolution_minutes == 15
    assert studio.weekly_working_hours == 36 + 4 + 4
    assert studio.weekly_working_days == 6


def test_a_missing_day_is_a_day_off(dbsession, factory):
    studio = factory.studio()
    save(dbsession, studio, working_hours={"mon": "09:00-17:00"})
    assert studio.working_hours["mon"] == [[540, 1020]]
    assert all(studio.working_hours[day] == [] for day in WEEKDAYS[1:])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "   "}, "name", "A name is required."),
        ({"name": None}, "name", "A name is required."),
        ({"name": "x" * 257}, "name", "Use at most 256 characters."),
        ({"working_hours": WEEK | {"sun": "10-12"}}, "sun", "10-12 is not a time range."),
        ({"daily_working_hours": 0}, "daily_working_hours", "a whole number from 1 to 24"),
        ({"daily_working_hours": 25}, "daily_working_hours", "a whole number from 1 to 24"),
        ({"daily_working_hours": None}, "daily_working_hours", "a whole number from 1 to 24"),
        ({"timing_resolution_minutes": 7}, "timing_resolution_minutes", "5, 10, 15, 20, 30, 60"),
        ({"timing_resolution_minutes": None}, "timing_resolution_minutes", "Choose a timing"),
    ],
)
def test_update_studio_refuses_bad_values_and_changes_nothing(
    dbsession, factory, changes, field, message
):
    studio = factory.studio()
    before = snapshot(studio)
    with pytest.raises(ValidationError) as error:
        save(dbsession, studio, **changes)
    assert error.value.field == field
    assert message in error.value.message
    assert snapshot(studio) == before


def test_update_studio_refuses_a_stale_version(dbsession, factory):
    studio = factory.studio()
    before = snapshot(studio)
    with pytest.raises(ConflictError) as error:
        save(dbsession, studio, submitted_version=studio.version_id - 1)
    assert "The studio was changed by someone else" in error.value.message
    assert snapshot(studio) == before


def test_update_studio_refuses_a_missing_version(dbsession, factory):
    studio = factory.studio()
    with pytest.raises(ConflictError):
        save(dbsession, studio, submitted_version=None)


def test_each_save_moves_the_version_on(dbsession, factory):
    studio = factory.studio()
    version = studio.version_id
    save(dbsession, studio)
    assert studio.version_id == version + 1
    with pytest.raises(ConflictError):
        save(dbsession, studio, submitted_version=version)
