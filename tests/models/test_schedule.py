"""Timing conversions on an explicit studio calendar, and the scheduling enums."""

from dataclasses import dataclass

import pytest

from stalker_web.models.meta import InvalidValue
from stalker_web.models.schedule import (
    DependencyTarget,
    ScheduleModel,
    TimeUnit,
    parse_enum,
    to_seconds,
)


@dataclass
class Calendar:
    daily_working_hours: int = 9
    weekly_working_days: int = 5
    yearly_working_days: int = 261


STALKER_DEFAULTS = Calendar()


@pytest.mark.parametrize(
    ("timing", "unit", "seconds"),
    [
        (30, "min", 1800),
        (2, "h", 7200),
        (1, "d", 32_400),
        (1, "w", 162_000),
        (1, "m", 648_000),
        (1, "y", 8_456_400),
    ],
)
@pytest.mark.parametrize("model", ["effort", "length"])
def test_effort_and_length_count_working_time(model, timing, unit, seconds):
    assert to_seconds(timing, unit, model, STALKER_DEFAULTS) == seconds


@pytest.mark.parametrize(
    ("unit", "seconds"),
    [("min", 60), ("h", 3600), ("d", 86_400), ("w", 604_800), ("m", 2_419_200), ("y", 31_536_000)],
)
def test_duration_counts_calendar_time(unit, seconds):
    assert to_seconds(1, unit, "duration", STALKER_DEFAULTS) == seconds


def test_the_studio_calendar_is_used_not_a_global_default():
    short_weeks = Calendar(daily_working_hours=8, weekly_working_days=4, yearly_working_days=209)
    assert to_seconds(1, "d", "effort", short_weeks) == 8 * 3600
    assert to_seconds(1, "w", "effort", short_weeks) == 4 * 8 * 3600
    assert to_seconds(1, "y", "length", short_weeks) == 209 * 8 * 3600
    assert to_seconds(1, "w", "duration", short_weeks) == 604_800


def test_a_studio_row_is_a_calendar(factory):
    studio = factory.studio()
    assert to_seconds(2, "d", "effort", studio) == 2 * studio.daily_working_hours * 3600


def test_enums_accept_a_member_a_value_or_a_name_in_any_case():
    assert parse_enum(TimeUnit, TimeUnit.DAY, "unit", "The unit") is TimeUnit.DAY
    assert parse_enum(TimeUnit, "D", "unit", "The unit") is TimeUnit.DAY
    assert parse_enum(TimeUnit, "week", "unit", "The unit") is TimeUnit.WEEK
    assert parse_enum(ScheduleModel, "Effort", "model", "The model") is ScheduleModel.EFFORT
    assert parse_enum(DependencyTarget, "OnStart", "t", "The target") is DependencyTarget.ONSTART


def test_an_unknown_enum_value_names_the_choices():
    with pytest.raises(InvalidValue, match="The unit must be one of min, h, d, w, m, y") as error:
        to_seconds(1, "fortnight", "effort", STALKER_DEFAULTS)
    assert error.value.field == "unit"
