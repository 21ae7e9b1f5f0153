"""The authentication log service: reading filters from a query string, and the filtered query."""

from datetime import UTC, date, datetime, timedelta

import pytest

from stalker_web.services.accounts import auth_log as service
from stalker_web.services.accounts.auth_log import LogFilters

DAY = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)


def logins(dbsession, number: int = 1, **filters) -> list[str]:
    page = service.log_page(dbsession, LogFilters(**filters), number)
    return [entry.login for entry in page.items]


def test_parse_filters_reads_clean_values():
    filters, errors = service.parse_filters(
        {"q": "  ana ", "action": " Failed ", "date_from": "2024-05-01", "date_to": "2024-05-31"}
    )
    assert errors == []
    assert filters == LogFilters(
        search="ana", action="failed", date_from=date(2024, 5, 1), date_to=date(2024, 5, 31)
    )


def test_parse_filters_treats_missing_and_blank_values_as_no_filter():
    assert service.parse_filters({}) == (LogFilters(), [])
    assert service.parse_filters({"q": " ", "action": "", "date_from": None}) == (LogFilters(), [])


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"action": "hacked"}, "action", "Choose an action among login, logout, failed, locked."),
        ({"date_from": "31/05/2024"}, "date_from", "'31/05/2024' is not a date; write it as"),
        ({"date_to": "2024-02-30"}, "date_to", "write it as YYYY-MM-DD"),
        ({"date_to": "yesterday"}, "date_to", "write it as YYYY-MM-DD"),
    ],
)
def test_parse_filters_reports_an_unusable_value_and_drops_only_it(values, field, message):
    filters, errors = service.parse_filters({"q": "ana", **values})
    assert [error.field for error in errors] == [field]
    assert message in errors[0].message
    assert filters == LogFilters(search="ana")


def test_parse_filters_refuses_an_end_before_the_start_but_keeps_the_start():
    filters, errors = service.parse_filters({"date_from": "2024-05-10", "date_to": "2024-05-09"})
    assert [(error.field, error.message) for error in errors] == [
        ("date_to", "The end date is before the start date.")
    ]
    assert filters == LogFilters(date_from=date(2024, 5, 10))


def test_parse_filters_reports_every_bad_value_at_once():
    _, errors = service.parse_filters({"action": "x", "date_from": "x", "date_to": "x"})
    assert [error.field for error in errors] == ["action", "date_from", "date_to"]


def test_filter_params_reproduce_the_filters_without_blanks():
    filters = LogFilters(search="ana", date_to=date(2024, 5, 31))
    assert filters.params() == {"q": "ana", "date_to": "2024-05-31"}
    assert service.parse_filters(filters.params()) == (filters, [])
    assert LogFilters().params() == {}


def test_log_page_lists_newest_first_with_the_later_row_first_on_a_tie(dbsession, factory):
    factory.log_entry("middle", date=DAY)
    factory.log_entry("oldest", date=DAY - timedelta(seconds=1))
    factory.log_entry("newest", date=DAY + timedelta(seconds=1))
    factory.log_entry("tied", date=DAY)
    assert logins(dbsession, date_to=DAY.date()) == ["newest", "tied", "middle", "oldest"]


def test_search_matches_the_login_typed_or_the_users_name_and_login(dbsession, factory):
    ana = factory.user(login="ana.k", name="Ana Karlsson")
    factory.log_entry("typed-by-ana", "login", user=ana, date=DAY)
    factory.log_entry("ANA.K", "failed", date=DAY - timedelta(hours=1))
    factory.log_entry("bob", "failed", date=DAY - timedelta(hours=2))
    day = {"date_from": DAY.date(), "date_to": DAY.date()}
    assert logins(dbsession, search="karlsson", **day) == ["typed-by-ana"]
    assert logins(dbsession, search="Ana.K", **day) == ["typed-by-ana", "ANA.K"]
    assert logins(dbsession, search="bob", **day) == ["bob"]


def test_search_wildcards_are_taken_literally(dbsession, factory):
    factory.log_entry("50%_off", date=DAY)
    factory.log_entry("500 off", date=DAY)
    day = {"date_from": DAY.date(), "date_to": DAY.date()}
    assert logins(dbsession, search="0%_", **day) == ["50%_off"]
    assert logins(dbsession, search="%", **day) == ["50%_off"]


def test_action_filter_keeps_only_that_action(dbsession, factory):
    for action in ("login", "logout", "failed", "locked"):
        factory.log_entry(f"who-{action}", action, date=DAY)
    day = {"date_from": DAY.date(), "date_to": DAY.date()}
    assert logins(dbsession, action="locked", **day) == ["who-locked"]


def test_dates_are_whole_utc_days_with_both_ends_included(dbsession, factory):
    start = datetime(2024, 5, 10, tzinfo=UTC)
    factory.log_entry("before", date=start - timedelta(microseconds=1))
    factory.log_entry("first-instant", date=start)
    factory.log_entry("last-instant", date=start + timedelta(days=2) - timedelta(microseconds=1))
    factory.log_entry("after", date=start + timedelta(days=2))
    found = logins(dbsession, date_from=date(2024, 5, 10), date_to=date(2024, 5, 11))
    assert found == ["last-instant", "first-instant"]


def test_the_extreme_dates_do_not_overflow(dbsession, factory):
    factory.log_entry("any-day", date=DAY)
    found = logins(dbsession, search="any-day", date_from=date.min, date_to=date.max)
    assert found == ["any-day"]


def test_log_page_paginates_and_carries_the_filters(dbsession, factory):
    for minute in range(53):
        factory.log_entry("crowd", date=DAY + timedelta(minutes=minute))
    filters = LogFilters(search="crowd", date_to=DAY.date())
    page = service.log_page(dbsession, filters, 2)
    assert (page.number, page.total, page.page_count, len(page.items)) == (2, 53, 2, 3)
    assert page.items[-1].date == DAY
    assert page.params == {"q": "crowd", "date_to": "2024-05-10"}


def test_log_page_loads_the_users_in_the_same_query(dbsession, factory, count_queries):
    for _ in range(3):
        user = factory.user()
        factory.log_entry(user.login, "login", user=user, date=DAY)
    dbsession.expunge_all()
    with count_queries() as queries:
        page = service.log_page(dbsession, LogFilters(date_to=DAY.date()), 1)
        names = [entry.user.name for entry in page.items]
    assert len(names) == 3
    assert queries.count == 2
