"""Malformed path, query and form values that answered 500 (issue 9, finding 7): ids beyond any
row, digits that are not ASCII, NUL and line breaks, dates at the end of the calendar. Each now
gets its page or a 4xx, on SQLite and on PostgreSQL (whose INTEGER ids stop at 2**31 - 1)."""

from urllib.parse import quote

import pytest
from pyramid import testing

from stalker_web.models import Department, TimeLog
from stalker_web.services.breakdown.rows import COLUMNS
from stalker_web.views.common import safe_next_url

from ..pages import csrf_token
from ..test_fuzz import PLACEHOLDER, fill, routes_and_methods, world

BEYOND_ANY_ID = ["9" * 25, "99999999999999999999", "9223372036854775808", "2147483648"]
NOT_ASCII_DIGITS = ["²", "٣", "-1", "1e9", "%00", "a\r\nb", "7" * 5000]


@pytest.fixture
def ids(factory, dbsession, admin):
    return world(factory, dbsession, admin)


def id_routes(app) -> list[tuple[str, str, tuple[str, ...]]]:
    return [row for row in routes_and_methods(app.registry.introspector) if "_id" in row[1]]


@pytest.mark.parametrize("value", BEYOND_ANY_ID)
def test_an_id_beyond_any_row_is_not_found_on_every_route(admin_app, app, ids, value):
    token = csrf_token(admin_app)
    answers = set()
    for name, pattern, methods in id_routes(app):
        for placeholder in {p for p in PLACEHOLDER.findall(pattern) if p.endswith("_id")}:
            url = fill(pattern, ids, (placeholder, value))
            for method in methods:
                if method == "GET":
                    response = admin_app.get(url, expect_errors=True)
                else:
                    response = admin_app.post(url, {"csrf_token": token}, expect_errors=True)
                answers.add((name, placeholder, method, response.status_int))
    assert {answer for answer in answers if answer[3] != 404} == set()


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS)
def test_an_id_that_is_not_ascii_digits_is_not_found(admin_app, ids, value):
    for pattern, placeholder in (
        ("/tasks/{task_id}", "task_id"),
        ("/users/{user_id}", "user_id"),
        ("/projects/{project_id}/tasks", "project_id"),
    ):
        admin_app.get(fill(pattern, ids, (placeholder, value)), status=404)


def test_the_task_page_of_an_id_beyond_bigint_is_not_found(admin_app):
    admin_app.get("/tasks/99999999999999999999", status=404)


@pytest.mark.parametrize("parent", ["²", "٣", "9" * 25, "2147483648", "-1", "\x00"])
def test_a_malformed_parent_of_the_tree_and_the_gantt_is_not_found(admin_app, ids, parent):
    for page in ("tasks", "gantt"):
        url = f"/projects/{ids['project_id']}/{page}?parent={quote(parent)}"
        admin_app.get(url, status=404)


@pytest.mark.parametrize("key", ["status", "type", "resource"])
@pytest.mark.parametrize("value", ["²", "9" * 25, "2147483648", "\x00"])
def test_malformed_tree_filters_are_ignored(admin_app, ids, key, value):
    page = admin_app.get(f"/projects/{ids['project_id']}/tasks?{key}={quote(value)}")
    assert page.html.select("#task-tree tbody tr")
    admin_app.get(f"/tasks/{ids['task_id']}/children?{key}={quote(value)}")


@pytest.mark.parametrize("base", ["²", "٣", "9" * 25, "-1"])
def test_gantt_rows_with_a_malformed_base_start_at_the_top(admin_app, ids, base):
    admin_app.get(f"/tasks/{ids['task_id']}/gantt-rows?base={quote(base)}", status=200)


@pytest.mark.parametrize("key", ["department_id", "group_id", "page"])
def test_user_filters_beyond_any_id_are_ignored(admin_app, ids, key):
    for url in ("/users", "/users.csv"):
        admin_app.get(f"{url}?{key}={'9' * 25}", status=200)


@pytest.mark.parametrize("search", ["a\x00b", "\x00", "x" * 5000, "\u202eevil 😀"])
def test_searches_with_nul_or_huge_text_answer_the_page(admin_app, ids, search):
    query = quote(search)
    for url in (
        f"/users?q={query}",
        f"/departments?q={query}",
        f"/projects/{ids['project_id']}/tasks?q={query}",
        f"/tasks/{ids['task_id']}/move?q={query}",
        f"/tasks/{ids['task_id']}/dependencies?q={query}",
        f"/authentication-log?q={query}",
    ):
        admin_app.get(url, status=200)


@pytest.mark.parametrize(
    "next_path", ["/\r\nSet-Cookie: stolen=1", "/users\x00", "/users\x1b", "http://[evil"]
)
def test_a_next_page_with_control_characters_is_not_followed(admin_app, ids, next_path, dbsession):
    task_id = ids["task_id"]
    before = dbsession.query(TimeLog).count()
    response = admin_app.post(
        f"/tasks/{task_id}/time-logs",
        {
            "csrf_token": csrf_token(admin_app),
            "start": "2026-03-03T09:00",
            "end": "2026-03-03T10:00",
            "next": next_path,
        },
        status=303,
    )
    assert response.location == f"http://example.com/tasks/{task_id}"
    assert "stolen" not in str(response.headers)
    assert dbsession.query(TimeLog).count() == before + 1


def test_a_time_log_form_does_not_carry_a_next_page_with_a_line_break(admin_app, ids):
    url = f"/tasks/{ids['task_id']}/time-logs?next=" + quote("/users\r\nSet-Cookie: stolen=1")
    assert admin_app.get(url).forms["time-log-form"]["next"].value == ""
    url = f"/tasks/{ids['task_id']}/time-logs?next=" + quote("/users?page=2")
    assert admin_app.get(url).forms["time-log-form"]["next"].value == "/users?page=2"


def test_an_overlong_hidden_value_is_refused_on_top_of_the_form(admin_app, ids, dbsession):
    before = dbsession.query(TimeLog).count()
    page = admin_app.post(
        f"/tasks/{ids['task_id']}/time-logs",
        {
            "csrf_token": csrf_token(admin_app),
            "start": "2026-03-03T09:00",
            "end": "2026-03-03T10:00",
            "next": "/" + "a" * 5000,
        },
        status=400,
    )
    assert "This form came back damaged." in page.text
    assert dbsession.query(TimeLog).count() == before


def test_logging_in_with_a_next_page_holding_a_line_break_goes_home(testapp, factory):
    user = factory.user()
    page = testapp.get("/login?next=" + quote("/users\r\nSet-Cookie: stolen=1"))
    form = page.forms["login-form"]
    form["login"] = user.login
    form["password"] = factory.PASSWORD
    response = form.submit(status=303)
    assert response.location == "http://example.com/"


@pytest.mark.parametrize(
    "candidate",
    ["/a\r\nb", "/a\nb", "/a\x00", "/a\x1b", "/a\x7f", "/" + "a" * 3000, "http://[x", None, ""],
)
def test_safe_next_url_refuses_control_characters_and_overlong_paths(candidate):
    request = testing.DummyRequest()
    request.application_url = "http://example.com"
    request.route_url = lambda name: f"http://example.com/{name}"
    assert safe_next_url(request, candidate) == "http://example.com/home"
    assert safe_next_url(request, "/tasks/1?page=2") == "http://example.com/tasks/1?page=2"


def test_a_vacation_for_a_user_id_beyond_any_id_is_refused_under_the_field(admin_app):
    form = admin_app.get("/vacations/new").forms["vacation-form"]
    form["user_id"].force_value("9" * 25)
    form["start"] = "2026-05-04"
    form["end"] = "2026-05-05"
    page = form.submit(status=400)
    assert "Choose who is away." in page.text


def test_a_department_name_with_a_nul_is_refused_under_its_field(admin_app, dbsession):
    before = dbsession.query(Department).count()
    form = admin_app.get("/departments/new").forms["department-form"]
    form["name"] = "Light\x00ing"
    page = form.submit(status=400)
    assert "control characters" in page.html.select_one(".field.has-error").get_text()
    assert dbsession.query(Department).count() == before


def test_a_department_description_of_100k_characters_is_refused(admin_app):
    form = admin_app.get("/departments/new").forms["department-form"]
    form["name"] = "Lighting"
    form["description"] = "x" * 100_000
    page = form.submit(status=400)
    assert "Use at most 10,000 characters." in page.text


@pytest.mark.parametrize(
    ("url", "key", "value"),
    [
        ("/my/timesheet", "week", "9999-W52"),
        ("/my/timesheet", "week", "0001-W01"),
        ("/my/timesheet", "week", "٢٠٢٦-W10"),
        ("/vacations", "month", "9999-12"),
        ("/vacations", "month", "0001-01"),
        ("/authentication-log", "date_from", "9999-12-31"),
        ("/authentication-log", "date_to", "0001-01-01"),
    ],
)
def test_dates_at_the_ends_of_the_calendar_answer_a_page(admin_app, url, key, value):
    response = admin_app.get(f"{url}?{key}={quote(value)}", expect_errors=True)
    assert response.status_int in (200, 400)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_gantt_windows_at_the_ends_of_the_calendar_answer_a_page(admin_app, ids, day):
    for url in (
        f"/projects/{ids['project_id']}/gantt",
        f"/users/{ids['user_id']}/gantt",
        f"/departments/{ids['department_id']}/gantt",
        f"/tasks/{ids['task_id']}/gantt-rows",
    ):
        response = admin_app.get(f"{url}?from={day}&to={day}", expect_errors=True)
        assert response.status_int in (200, 400)


@pytest.mark.parametrize("parents", ["sequence:²", "sequence:٣", "sequence:99999999999"])
def test_a_template_for_malformed_parents_is_refused(admin_app, ids, parents):
    url = f"/projects/{ids['project_id']}/tasks/from-template"
    form = admin_app.get(url).forms["template-form"]
    form["template"].force_value("Shot")
    form["parents"].force_value(parents)
    page = form.submit(status=400)
    assert "Choose the tasks to add the template&#39;s tasks to." in page.text


@pytest.mark.parametrize(
    "line",
    [
        "SQ010#99999999999/SH100,Shot,SH100,SH100,,,,,,,,,,",
        "SQ010#2147483648/SH100,Shot,SH100,SH100,,,,,,,,,,",
        "SQ010/SH100,Shot,SH100,SH100,,,,,,,1001,99999999999999999999999,,",
        "SQ010/SH100,Shot,SH100,SH100,,,,,,99999999999999999999999,,,,",
        "SQ010/SH100,Shot,SH100,SH100,,,nan,h,,,,,,",
        "SQ010/SH100,Shot,SH100,SH100,,,1e400,h,,,,,,",
        "SQ010/SH100,Shot,SH100,SH100,,,,,,,,,,SQ010#99999999999",
        "SQ010/SH100,Shot,SH\x00100,SH100,,,,,,,,,,",
        "SQ010/SH100,Shot,SH100,SH100,,,,,,,,,nobody\x00,",
        "SQ010/SH100,Shot," + "x" * 5000 + ",SH100,,,,,,,,,,",
    ],
)
def test_a_breakdown_line_with_malformed_values_is_refused(admin_app, ids, line):
    form = admin_app.get(f"/projects/{ids['project_id']}/breakdown/import").forms["import-form"]
    form["text"] = "\n".join([",".join(COLUMNS), line])
    response = form.submit(expect_errors=True)
    assert response.status_int in (303, 400)


@pytest.mark.parametrize("value", ["99999999999", "9" * 25, "²"])
def test_lists_of_ids_beyond_any_row_are_refused(admin_app, ids, value):
    token = csrf_token(admin_app)
    for url, key in (
        (f"/users/{ids['user_id']}/edit", "group_ids"),
        (f"/tasks/{ids['task_id']}/edit", "resources"),
        (f"/tasks/{ids['task_id']}/edit", "responsible"),
        (f"/tasks/{ids['task_id']}/versions/new", "input_file_ids"),
    ):
        fields = admin_app.get(url).html.select("form[method=post] [name]")
        data = {field["name"]: field.get("value", "") for field in fields}
        data.update({"csrf_token": token, key: value})
        response = admin_app.post(url, data, expect_errors=True)
        assert response.status_int == 400, (url, key)
