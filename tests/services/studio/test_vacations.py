"""The vacation service: dates as typed, month calendars, overlaps refused, edits."""

from datetime import UTC, date, datetime

import pytest

from stalker_web.models import Vacation
from stalker_web.services.errors import ConflictError, ValidationError
from stalker_web.services.studio import vacations as service


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "is_end", "expected"),
    [
        ("2026-12-24", False, utc(2026, 12, 24)),
        ("2026-12-26", True, utc(2026, 12, 27)),
        ("2026-12-24 14:30", False, utc(2026, 12, 24, 14, 30)),
        ("2026-12-24T9:05", True, utc(2026, 12, 24, 9, 5)),
        ("  2026-02-28  ", True, utc(2026, 3, 1)),
    ],
)
def test_parse_moment_reads_days_and_times_in_utc(text, is_end, expected):
    assert service.parse_moment(text, is_end=is_end, field="start") == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The end is required."),
        ("24/12/2026", service.MOMENT_MESSAGE),
        ("2026-02-30", service.MOMENT_MESSAGE),
        ("2026-12-24 25:00", service.MOMENT_MESSAGE),
    ],
)
def test_parse_moment_refuses_other_text_under_its_field(text, message):
    with pytest.raises(ValidationError) as refused:
        service.parse_moment(text, is_end=True, field="end")
    assert (refused.value.message, refused.value.field) == (message, "end")


def test_spans_and_form_texts_show_whole_days_with_the_last_day_included():
    assert service.span_text(utc(2026, 12, 24), utc(2026, 12, 27)) == (
        "2026-12-24 to 2026-12-26 (3 days)"
    )
    assert service.span_text(utc(2026, 12, 24), utc(2026, 12, 25)) == "2026-12-24 (1 day)"
    assert service.span_text(utc(2026, 12, 24, 14), utc(2026, 12, 24, 18)) == (
        "2026-12-24 14:00 to 2026-12-24 18:00 UTC"
    )
    whole = Vacation(start=utc(2026, 12, 24), end=utc(2026, 12, 27))
    assert service.form_texts(whole) == ("2026-12-24", "2026-12-26")
    timed = Vacation(start=utc(2026, 12, 24, 14), end=utc(2026, 12, 25))
    assert service.form_texts(timed) == ("2026-12-24 14:00", "2026-12-25 00:00")


def test_parse_month():
    assert service.parse_month("2026-12") == date(2026, 12, 1)
    assert service.parse_month(None, today=date(2026, 5, 17)) == date(2026, 5, 1)
    for text in ("2026-13", "december", "2026-12-01"):
        with pytest.raises(ValidationError, match="YYYY-MM"):
            service.parse_month(text)
    assert service.add_months(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert service.add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)


def test_create_refuses_an_overlap_with_the_same_users_vacation(factory, dbsession):
    ann, bob = factory.user(name="Ann"), factory.user(name="Bob")
    service.create_vacation(dbsession, user=ann, start=utc(2026, 12, 21), end=utc(2026, 12, 24))
    # Touching is fine, and other people may be away at the same time.
    service.create_vacation(dbsession, user=ann, start=utc(2026, 12, 24), end=utc(2026, 12, 25))
    service.create_vacation(dbsession, user=bob, start=utc(2026, 12, 22), end=utc(2026, 12, 23))
    with pytest.raises(ValidationError) as refused:
        service.create_vacation(
            dbsession, user=ann, start=utc(2026, 12, 23, 12), end=utc(2026, 12, 28)
        )
    assert refused.value.field == "start"
    assert refused.value.message.startswith(
        "Ann is already away then: 'Vacation' (2026-12-21 to 2026-12-23 (3 days))"
    )


def test_studio_holidays_may_not_overlap_each_other(factory, dbsession):
    holiday = service.create_vacation(
        dbsession, user=None, start=utc(2026, 12, 24), end=utc(2026, 12, 27), name="Christmas"
    )
    assert holiday.is_studio_wide
    # A person's vacation over a holiday is allowed.
    service.create_vacation(
        dbsession, user=factory.user(), start=utc(2026, 12, 20), end=utc(2027, 1, 3)
    )
    with pytest.raises(ValidationError, match="overlaps the studio holiday 'Christmas'"):
        service.create_vacation(
            dbsession, user=None, start=utc(2026, 12, 26), end=utc(2026, 12, 28)
        )


def test_create_refuses_an_end_not_after_the_start(factory, dbsession):
    with pytest.raises(ValidationError) as refused:
        service.create_vacation(
            dbsession, user=factory.user(), start=utc(2026, 12, 24), end=utc(2026, 12, 24)
        )
    assert (refused.value.message, refused.value.field) == (
        "A vacation must end after it starts.",
        "end",
    )


def test_update_moves_and_renames_checks_the_version_and_overlaps(factory, dbsession):
    ann = factory.user(name="Ann")
    first = service.create_vacation(dbsession, user=ann, start=utc(2026, 7, 1), end=utc(2026, 7, 5))
    second = service.create_vacation(
        dbsession, user=ann, start=utc(2026, 8, 1), end=utc(2026, 8, 5)
    )
    service.update_vacation(
        dbsession,
        first,
        submitted_version=first.version_id,
        user=ann,
        start=utc(2026, 7, 10),
        end=utc(2026, 7, 20),
        name="Summer",
    )
    assert (first.start, first.end, first.name) == (utc(2026, 7, 10), utc(2026, 7, 20), "Summer")
    with pytest.raises(ValidationError, match="Ann is already away then: 'Summer'"):
        service.update_vacation(
            dbsession,
            second,
            submitted_version=second.version_id,
            user=ann,
            start=utc(2026, 7, 15),
            end=utc(2026, 8, 5),
        )
    with pytest.raises(ConflictError):
        service.update_vacation(
            dbsession,
            second,
            submitted_version=second.version_id - 1,
            user=ann,
            start=utc(2026, 9, 1),
            end=utc(2026, 9, 2),
        )
    # Made studio-wide without a name, it takes the holiday's default name.
    service.update_vacation(
        dbsession,
        second,
        submitted_version=second.version_id,
        user=None,
        start=utc(2026, 9, 1),
        end=utc(2026, 9, 2),
    )
    assert (second.user, second.name) == (None, "Studio holiday")


def test_the_month_calendar_places_holidays_and_people_on_their_days(factory, dbsession):
    ann, bob = factory.user(name="Ann"), factory.user(name="Bob")
    service.create_vacation(dbsession, user=None, start=utc(2026, 12, 25), end=utc(2026, 12, 26))
    service.create_vacation(dbsession, user=ann, start=utc(2026, 11, 30), end=utc(2026, 12, 3))
    service.create_vacation(dbsession, user=bob, start=utc(2026, 12, 31, 14), end=utc(2027, 1, 2))
    service.create_vacation(dbsession, user=bob, start=utc(2026, 11, 1), end=utc(2026, 11, 2))

    month = service.month_calendar(dbsession, date(2026, 12, 1))
    days = {cell.day: cell for week in month.weeks for cell in week}
    assert month.label == "December 2026" and (month.previous, month.next) == ("2026-11", "2027-01")
    assert all(len(week) == 7 for week in month.weeks)
    assert month.weeks[0][0].day == date(2026, 11, 30) and not month.weeks[0][0].in_month
    assert [v.user.name for v in days[date(2026, 12, 2)].away] == ["Ann"]
    assert days[date(2026, 12, 3)].away == []
    assert [v.name for v in days[date(2026, 12, 25)].holidays] == ["Studio holiday"]
    assert [v.user.name for v in days[date(2026, 12, 31)].away] == ["Bob"]
    assert month.vacation_count == 3

    own = service.month_calendar(dbsession, date(2026, 12, 1), user=bob)
    assert own.vacation_count == 2  # Bob's and the holiday


def test_a_busy_day_names_a_few_and_counts_the_rest(factory, dbsession):
    for _ in range(service.NAMES_PER_DAY + 3):
        service.create_vacation(
            dbsession, user=factory.user(), start=utc(2026, 6, 10), end=utc(2026, 6, 11)
        )
    month = service.month_calendar(dbsession, date(2026, 6, 1))
    [cell] = [cell for week in month.weeks for cell in week if cell.day == date(2026, 6, 10)]
    assert (len(cell.away), cell.more) == (service.NAMES_PER_DAY, 3)
