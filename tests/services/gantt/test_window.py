"""The Gantt time window: zooms, positions, ticks, and resolving what the query string asks."""

from datetime import UTC, date, datetime

import pytest

from stalker_web.services.errors import ValidationError
from stalker_web.services.gantt.window import (
    MAX_CHART_WIDTH,
    ZOOMS,
    Window,
    automatic_zoom,
    resolve_window,
)

TODAY = date(2025, 6, 11)


def window(first: str, last: str, zoom: str = "day") -> Window:
    return Window(date.fromisoformat(first), date.fromisoformat(last), ZOOMS[zoom])


@pytest.mark.parametrize(("zoom", "pixels"), [("day", 24), ("week", 8), ("month", 2)])
def test_each_zoom_sets_the_pixels_per_day_and_the_width(zoom, pixels):
    chart = window("2025-03-01", "2025-03-31", zoom)
    assert chart.days == 31
    assert chart.width == 31 * pixels
    assert chart.x(datetime(2025, 3, 5, tzinfo=UTC)) == 4 * pixels
    assert chart.x(datetime(2025, 3, 5, 12, tzinfo=UTC)) == 4.5 * pixels
    assert chart.x(datetime(2025, 2, 28, tzinfo=UTC)) == -pixels


def test_the_window_runs_from_the_first_day_to_the_end_of_the_last():
    chart = window("2025-03-01", "2025-03-31")
    assert chart.start == datetime(2025, 3, 1, tzinfo=UTC)
    assert chart.end == datetime(2025, 4, 1, tzinfo=UTC)
    assert chart.contains(datetime(2025, 3, 31, 23, 59, tzinfo=UTC))
    assert not chart.contains(datetime(2025, 4, 1, tzinfo=UTC))
    assert chart.clamped_x(datetime(2026, 1, 1, tzinfo=UTC)) == chart.width
    assert chart.clamped_x(datetime(2024, 1, 1, tzinfo=UTC)) == 0


def test_every_zoom_keeps_the_chart_within_the_widest_width():
    for zoom in ZOOMS.values():
        assert zoom.max_days * zoom.pixels_per_day <= MAX_CHART_WIDTH
        assert (zoom.max_days + 1) * zoom.pixels_per_day > MAX_CHART_WIDTH


def test_day_ticks_label_every_day_under_the_months():
    ticks = window("2025-03-30", "2025-04-02").ticks()
    majors = [(t.x, t.label) for t in ticks if t.major]
    minors = [(t.x, t.label) for t in ticks if not t.major]
    # March's two days are too narrow for a label of their own: only April is named.
    assert majors == [(0, ""), (48, "Apr 2025")]
    assert minors == [(0, "30"), (24, "31"), (48, "1"), (72, "2")]
    assert [t.weekend for t in ticks if not t.major] == [True, False, False, False]


def test_week_ticks_fall_on_mondays():
    ticks = window("2025-03-01", "2025-03-31", "week").ticks()
    assert [t.label for t in ticks if not t.major] == ["3", "10", "17", "24", "31"]
    assert [t.x for t in ticks if not t.major] == [16, 72, 128, 184, 240]
    assert [t.label for t in ticks if t.major] == ["Mar 2025"]


def test_month_ticks_label_months_under_years():
    ticks = window("2024-11-15", "2025-02-10", "month").ticks()
    assert [t.label for t in ticks if not t.major] == ["Dec", "Jan", "Feb"]
    assert [t.label for t in ticks if t.major] == ["2024", "2025"]
    january = next(t for t in ticks if t.label == "Jan")
    assert january.x == (date(2025, 1, 1) - date(2024, 11, 15)).days * 2


def test_window_helpers_keep_the_span():
    chart = window("2025-03-01", "2025-03-31")
    assert chart.query() == {"from": "2025-03-01", "to": "2025-03-31", "zoom": "day"}
    assert chart.shifted(10).first == date(2025, 3, 11)
    assert chart.shifted(10).days == 31
    centred = chart.centred_on(date(2025, 7, 1))
    assert (centred.first, centred.days) == (date(2025, 6, 16), 31)
    # Another zoom keeps the middle and about the same width on screen.
    closer = window("2025-01-01", "2025-12-31", "month").zoomed(ZOOMS["day"])
    assert (closer.first, closer.days) == (date(2025, 6, 17), 30)  # around 2 July
    assert window("2025-01-01", "2025-12-31", "week").zoomed(ZOOMS["month"]).days == 1460
    assert window("2025-01-01", "2025-12-31").zoomed(ZOOMS["month"]).days == ZOOMS["month"].max_days


def test_without_anything_the_window_shows_the_weeks_around_today():
    resolved = resolve_window(None, None, None, None, TODAY)
    assert resolved.window.first == date(2025, 6, 4)
    assert resolved.window.last == date(2025, 9, 3)
    assert resolved.window.zoom.name == "week"
    assert resolved.notice is None


def test_the_natural_span_is_padded_and_picks_the_zoom():
    resolved = resolve_window(None, None, None, (date(2025, 3, 1), date(2025, 3, 21)), TODAY)
    assert (resolved.window.first, resolved.window.last) == (date(2025, 2, 27), date(2025, 3, 23))
    assert resolved.window.zoom.name == "day"
    long = resolve_window(None, None, None, (date(2025, 1, 1), date(2026, 12, 31)), TODAY)
    assert long.window.zoom.name == "month"


def test_the_asked_days_win_and_a_missing_end_follows_the_natural_span():
    natural = (date(2025, 3, 1), date(2025, 3, 21))
    both = resolve_window(date(2025, 1, 1), date(2025, 1, 10), "week", natural, TODAY).window
    assert (both.first, both.last, both.zoom.name) == (date(2025, 1, 1), date(2025, 1, 10), "week")
    only_from = resolve_window(date(2025, 3, 5), None, None, natural, TODAY).window
    assert (only_from.first, only_from.last) == (date(2025, 3, 5), date(2025, 3, 23))
    only_to = resolve_window(None, date(2025, 3, 10), None, natural, TODAY).window
    assert (only_to.first, only_to.last) == (date(2025, 2, 27), date(2025, 3, 10))
    after = resolve_window(date(2025, 5, 1), None, None, natural, TODAY).window
    assert (after.first, after.days) == (date(2025, 5, 1), 25)


def test_a_window_too_long_for_its_zoom_is_cut_with_a_notice():
    resolved = resolve_window(date(2025, 1, 1), date(2026, 12, 31), "day", None, TODAY)
    assert resolved.window.days == ZOOMS["day"].max_days
    assert resolved.window.width <= MAX_CHART_WIDTH
    assert "at most 191 days" in resolved.notice
    assert resolved.window.last.isoformat() in resolved.notice


@pytest.mark.parametrize(
    ("first", "last", "zoom", "field", "message"),
    [
        (date(2025, 3, 10), date(2025, 3, 1), None, "to", "cannot come before its start"),
        (date(1850, 1, 1), None, None, "from", "between 1900 and 2200"),
        (None, date(2300, 1, 1), None, "to", "between 1900 and 2200"),
        (None, None, "year", "zoom", "day, week or month"),
    ],
)
def test_impossible_windows_are_refused_with_the_field_to_fix(first, last, zoom, field, message):
    with pytest.raises(ValidationError) as refused:
        resolve_window(first, last, zoom, None, TODAY)
    assert refused.value.field == field
    assert message in refused.value.message


def test_automatic_zoom_grows_with_the_span():
    assert [automatic_zoom(days).name for days in (10, 62, 63, 365, 366)] == [
        "day",
        "day",
        "week",
        "week",
        "month",
    ]
