"""The authentication log page: newest first, filters, pagination, links and access."""

from datetime import UTC, datetime, timedelta

import pytest

from ...conftest import login

DAY = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)


def log_rows(page) -> list[list[str]]:
    table = page.html.find("table", id="auth-log")
    if table is None:
        return []
    return [
        [cell.get_text(" ", strip=True) for cell in row("td")] for row in table.find("tbody")("tr")
    ]


def logins_shown(page) -> list[str]:
    return [row[1] for row in log_rows(page)]


def test_log_lists_entries_newest_first_with_their_columns(admin_app, factory):
    ana = factory.user(name="Ana Artist")
    factory.log_entry("ana", "login", user=ana, date=DAY, remote_addr="198.51.100.7")
    factory.log_entry("ghost", "failed", date=DAY + timedelta(hours=1))
    factory.log_entry("ana", "logout", user=ana, date=DAY + timedelta(hours=2))
    page = admin_app.get("/authentication-log", {"date_to": "2024-05-10"})
    assert log_rows(page) == [
        ["2024-05-10 14:00:00 UTC", "ana", "Ana Artist", "logout", "192.0.2.99"],
        ["2024-05-10 13:00:00 UTC", "ghost", "unknown", "failed", "192.0.2.99"],
        ["2024-05-10 12:00:00 UTC", "ana", "Ana Artist", "login", "198.51.100.7"],
    ]
    link = page.html.find("table", id="auth-log").find("a", string="Ana Artist")
    assert link["href"] == f"http://example.com/users/{ana.id}"


def test_log_shows_the_latest_login_first(admin_app, admin):
    rows = log_rows(admin_app.get("/authentication-log"))
    assert rows[0][1:4] == [admin.login, admin.name, "login"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "ANA"}, ["ana.typed", "ana.typed"]),
        ({"q": "Artist"}, ["ana.typed", "ana.typed"]),
        ({"q": "ghost"}, ["ghost"]),
        ({"action": "failed"}, ["ghost"]),
        ({"action": "login", "q": "ana"}, ["ana.typed"]),
        ({"date_from": "2024-05-11"}, ["ana.typed", "ghost"]),
        ({"date_from": "2024-05-10", "date_to": "2024-05-10"}, ["ana.typed"]),
        ({"date_to": "2024-05-11"}, ["ghost", "ana.typed"]),
    ],
)
def test_log_filters_by_user_action_and_whole_days(admin_app, factory, query, expected):
    ana = factory.user(login="ana", name="Ana Artist")
    factory.log_entry("ana.typed", "login", user=ana, date=DAY)
    factory.log_entry("ghost", "failed", date=DAY + timedelta(days=1, hours=11, minutes=59))
    factory.log_entry("ana.typed", "logout", user=ana, date=DAY + timedelta(days=2))
    query = {"date_to": "2024-05-20", **query}
    page = admin_app.get("/authentication-log", query)
    assert logins_shown(page) == expected


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"date_from": "10/05/2024"}, "date_from", "write it as YYYY-MM-DD"),
        ({"date_to": "2024-02-30"}, "date_to", "write it as YYYY-MM-DD"),
        (
            {"date_from": "2024-05-10", "date_to": "2024-05-09"},
            "date_to",
            "The end date is before the start date.",
        ),
        ({"action": "hacked"}, "action", "Choose an action among login, logout, failed, locked."),
    ],
)
def test_bad_filters_are_explained_and_the_rest_still_applies(
    admin_app, factory, query, field, message
):
    factory.log_entry("ghost", "failed", date=DAY)
    page = admin_app.get("/authentication-log", {"q": "ghost", **query}, status=400)
    errors = page.html.find(id=f"{field}-errors")
    assert errors is not None and message in errors.get_text()
    assert logins_shown(page) == ["ghost"]


def test_the_last_possible_day_does_not_crash(admin_app):
    admin_app.get("/authentication-log", {"date_from": "0001-01-01", "date_to": "9999-12-31"})


def test_log_paginates_and_keeps_the_filters(admin_app, factory):
    for minute in range(55):
        factory.log_entry("crowd", "failed", date=DAY + timedelta(minutes=minute))
    page = admin_app.get("/authentication-log", {"q": "crowd", "action": "failed"})
    assert len(log_rows(page)) == 50
    assert log_rows(page)[0][0] == "2024-05-10 12:54:00 UTC"
    page = page.click(description="Next")
    assert page.request.GET["q"] == "crowd"
    assert page.request.GET["action"] == "failed"
    assert len(log_rows(page)) == 5
    assert log_rows(page)[-1][0] == "2024-05-10 12:00:00 UTC"


def test_log_query_count_does_not_grow_with_rows(admin_app, factory, count_queries):
    def add_entries(count):
        for _ in range(count):
            user = factory.user()
            factory.log_entry(user.login, "login", user=user, date=DAY)

    add_entries(3)
    with count_queries() as few:
        admin_app.get("/authentication-log")
    add_entries(27)
    with count_queries() as many:
        admin_app.get("/authentication-log")
    assert many.count == few.count


def test_log_is_forbidden_without_permission(testapp, factory):
    login(testapp, factory.user().login)
    assert testapp.get("/").html.find("a", string="Authentication log") is None
    testapp.get("/authentication-log", status=403)


def test_log_readers_without_user_rights_see_names_but_only_their_own_link(testapp, factory):
    reader = factory.user_allowed("List_AuthenticationLog", name="Log Reader")
    other = factory.user(name="Other Person")
    factory.log_entry(other.login, "login", user=other)
    login(testapp, reader.login)
    page = testapp.get("/authentication-log")
    table = page.html.find("table", id="auth-log")
    assert table.find("a", string="Other Person") is None
    assert "Other Person" in table.get_text()
    assert table.find("a", string="Log Reader") is not None
