"""Workload pages: who may see whose weeks (managers and leads theirs, others 403), the grid's
cells, links and totals, the tasks behind a cell, the index, refused weeks and query counts."""

from datetime import UTC, datetime

import pytest

from stalker_web.services.gantt.people import BUSY

from ...conftest import login
from ...factories.accounts import cheap_users
from ...factories.projects import member

WEEKS = "from=2026-03-04&weeks=2"


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def booked(factory, person, project, start, end, name, days):
    """A task ``days`` long computed for ``person`` from ``start`` to ``end`` (a length task: it
    takes its whole span whatever day the test runs)."""
    task = factory.task(
        project=project,
        name=name,
        resources=[person],
        schedule_timing=days,
        schedule_unit="d",
        schedule_model="length",
    )
    task.computed_start, task.computed_end = start, end
    task.computed_resources = [person]
    return task


@pytest.fixture
def team(dbsession, factory, project, artist, lead):
    """The artist of Film (``project``) is booked 9 h on Film on Monday 2 March and 45 h on
    Other that week (45 h available: over-booked), and is in Animation, led by Dee; Zed is in
    neither."""
    dee = factory.user(name="Dee")
    department = factory.department(
        "Animation", members=[artist, (dee, factory.role("Lead", manages_department=True))]
    )
    other = factory.project(name="Other", code="OTH")
    film_task = booked(factory, artist, project, at(2), at(3), "Layout", 1)
    other_task = booked(factory, artist, other, at(2), at(7), "Modelling", 5)
    dbsession.flush()
    return {
        "department": department,
        "dee": dee,
        "zed": factory.user(name="Zed"),
        "film_task": film_task,
        "other_task": other_task,
    }


def text(element) -> str:
    return element.get_text(" ", strip=True)


def test_a_project_manager_sees_the_chart_and_workload_of_a_member(
    testapp, team, project, artist, lead
):
    login(testapp, lead.login)
    testapp.get(f"/users/{artist.id}/gantt", status=200)
    testapp.get(f"/users/{artist.id}/workload", status=200)
    testapp.get(f"/projects/{project.id}/workload", status=200)
    testapp.get(f"/departments/{team['department'].id}/workload", status=403)


def test_a_department_lead_sees_the_chart_and_workload_of_a_member(testapp, team, project, artist):
    login(testapp, team["dee"].login)
    testapp.get(f"/users/{artist.id}/gantt", status=200)
    testapp.get(f"/users/{artist.id}/workload", status=200)
    testapp.get(f"/departments/{team['department'].id}/workload", status=200)
    testapp.get(f"/projects/{project.id}/workload", status=403)


def test_someone_unrelated_is_refused_every_workload(testapp, team, project, artist):
    login(testapp, team["zed"].login)
    testapp.get(f"/users/{artist.id}/gantt", status=403)
    testapp.get(f"/users/{artist.id}/workload", status=403)
    testapp.get(f"/departments/{team['department'].id}/workload", status=403)
    testapp.get(f"/projects/{project.id}/workload", status=403)


def test_a_plain_member_sees_their_own_workload_only(testapp, team, project, artist):
    login(testapp, artist.login)
    testapp.get(f"/users/{artist.id}/workload", status=200)
    testapp.get(f"/users/{team['dee'].id}/workload", status=403)
    testapp.get(f"/departments/{team['department'].id}/workload", status=403)
    testapp.get(f"/projects/{project.id}/workload", status=403)


def test_the_department_grid_shows_hours_against_availability_with_links(testapp, team, artist):
    login(testapp, team["dee"].login)
    page = testapp.get(f"/departments/{team['department'].id}/workload?{WEEKS}")

    rows = page.html.select("#workload tbody tr")
    assert [text(row.th) for row in rows] == ["Artist", "Dee"]
    first = rows[0].select("td.workload-cell")[0]
    assert text(first) == "54 / 45 h Over-booked"
    assert "load-over" in first["class"]
    assert first.a["href"].endswith(f"/users/{artist.id}/workload?week=2026-03-02")
    assert "Over-booked" in first.a["aria-label"]
    assert rows[0].th.a["href"].endswith(f"/users/{artist.id}/gantt?from=2026-03-02&to=2026-03-15")
    assert [text(th) for th in page.html.select("#workload thead th")] == [
        "Person",
        "02 Mar",
        "09 Mar",
        "Total",
    ]
    assert text(rows[0].select("td.workload-total")[0]) == "54 / 90 h"
    footer = [text(cell) for cell in page.html.select("#workload tfoot td")]
    assert footer == ["54 / 90 h", "0 / 90 h", "54 / 180 h"]
    assert "scheduled hours that week on all projects" in text(
        page.html.select_one(".workload-explain")
    )


def test_the_project_grid_groups_people_by_department_with_the_projects_share(
    testapp, team, project, artist, lead
):
    login(testapp, lead.login)
    page = testapp.get(f"/projects/{project.id}/workload?{WEEKS}")

    groups = [text(row) for row in page.html.select("#workload tr.workload-group")]
    assert groups == ["Animation", "No department"]
    cell = page.html.select_one(f'tr[data-user-id="{artist.id}"] td.workload-cell')
    assert text(cell) == "54 / 45 h Over-booked 9 h on this project"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("weeks=27", "Show between 1 and 26 weeks."),
        ("weeks=0", "Show between 1 and 26 weeks."),
        ("weeks=many", "Not a valid integer value."),
        ("from=2026-13-01", "Write the date as YYYY-MM-DD, for example 2026-03-01."),
        ("from=0001-01-01", "Choose a date between 1900 and 9998."),
    ],
)
def test_a_bad_week_range_is_refused_with_what_to_fix(testapp, team, query, message):
    login(testapp, team["dee"].login)
    page = testapp.get(f"/departments/{team['department'].id}/workload?{query}", status=400)
    assert message in text(page.html.select_one("#workload-weeks"))
    assert page.html.select_one("#workload") is None


def test_a_cell_lists_its_tasks_hiding_those_of_projects_the_viewer_cannot_read(
    testapp, team, artist, lead
):
    login(testapp, lead.login)
    page = testapp.get(f"/users/{artist.id}/workload?week=2026-03-04")

    sections = page.html.select("section.workload-week-tasks")
    assert len(sections) == 1
    assert "54 / 45 h Over-booked" in text(sections[0].h2)
    rows = [[text(cell) for cell in row.select("td")] for row in sections[0].select("tbody tr")]
    assert rows[0][0] == BUSY and rows[0][2] == "45 h" and rows[0][1] == "–"
    assert rows[1][0].endswith(" / Layout") and rows[1][1] == "Film" and rows[1][2] == "9 h"
    assert rows[1][6] == "Late"
    assert "Modelling" not in page.text and "Other" not in text(sections[0])


def test_without_a_week_a_person_sees_their_coming_weeks(testapp, team, artist):
    login(testapp, artist.login)
    page = testapp.get(f"/users/{artist.id}/workload")
    assert len(page.html.select("section.workload-week-tasks")) == 4
    assert page.html.select_one("#workload-empty") is not None  # March 2026 is past


@pytest.mark.parametrize(
    ("week", "message"),
    [("soon", "Write the date as YYYY-MM-DD"), ("9999-12-31", "between 1900 and 9998")],
)
def test_a_bad_week_is_refused(testapp, team, artist, week, message):
    login(testapp, artist.login)
    page = testapp.get(f"/users/{artist.id}/workload?week={week}", status=400)
    assert message in text(page.html.select_one("#workload-week"))
    assert page.html.select_one("section.workload-week-tasks") is None


def test_the_index_lists_only_the_teams_the_viewer_may_see(
    testapp, factory, team, project, artist, lead
):
    login(testapp, artist.login)
    page = testapp.get("/workload")
    assert text(page.html.select_one("#workload-mine")).startswith("My workload")
    assert page.html.select_one("#workload-departments") is None
    assert "You do not lead a department" in text(page.html.select_one("#workload-no-teams"))

    login(testapp, team["dee"].login)
    page = testapp.get("/workload")
    assert [text(a) for a in page.html.select("#workload-departments a")] == ["Animation"]
    assert page.html.select_one("#workload-projects") is None

    login(testapp, lead.login)
    page = testapp.get("/workload")
    assert [text(a) for a in page.html.select("#workload-projects a")] == ["Film"]

    login(testapp, factory.user_allowed("Read_Workload").login)
    page = testapp.get("/workload")
    assert "Animation" in [text(a) for a in page.html.select("#workload-departments a")]
    assert {"Film", "Other"} <= {text(a) for a in page.html.select("#workload-projects a")}


def _department(dbsession, factory, size: int, lead):
    people = cheap_users(dbsession, size)
    project = factory.project()
    department = factory.department(
        members=[(lead, factory.role("Lead", manages_department=True)), *people]
    )
    for index, person in enumerate(people):
        member(project, person)
        booked(factory, person, project, at(2 + index % 3), at(5 + index % 3), "Work", 3)
        booked(factory, person, factory.project(), at(3), at(4), "Other work", 1)
    dbsession.flush()
    return department, project


def test_the_pages_send_the_same_number_of_queries_for_ten_times_the_people(
    dbsession, testapp, factory, queries_of
):
    lead = factory.user(name="Lead")
    login(testapp, lead.login)
    counts = {"department": [], "project": [], "person": []}
    for size in (3, 30):
        department, project = _department(dbsession, factory, size, lead)
        member(project, lead, factory.role("Lead"))
        dbsession.flush()
        person = department.memberships[-1].user_id
        counts["department"].append(
            queries_of(testapp, f"/departments/{department.id}/workload?{WEEKS}")
        )
        counts["project"].append(queries_of(testapp, f"/projects/{project.id}/workload?{WEEKS}"))
        counts["person"].append(queries_of(testapp, f"/users/{person}/workload?week=2026-03-04"))
    for name, (small, large) in counts.items():
        assert small == large, name


def test_the_form_shows_the_weeks_the_grid_picked(testapp, team):
    login(testapp, team["dee"].login)
    page = testapp.get(f"/departments/{team['department'].id}/workload")
    form = page.forms["workload-weeks"]
    assert form["weeks"].value == "12"
    assert len(page.html.select("#workload thead th.workload-week")) == 12
    assert form["from"].value == page.html.select_one("#workload thead time")["datetime"]


def test_a_project_share_is_shown_only_where_there_is_one(testapp, team, project, lead):
    login(testapp, lead.login)
    page = testapp.get(f"/projects/{project.id}/workload?{WEEKS}")
    shares = [text(small) for small in page.html.select("td.workload-cell .workload-share")]
    assert shares == ["9 h on this project"]


def test_empty_teams_say_what_to_do_next(admin_app, factory):
    department = factory.department("Empty")
    project = factory.project(name="Alone")

    page = admin_app.get(f"/departments/{department.id}/workload")
    assert "add people to the department" in text(page.html.select_one("#workload-empty"))
    assert page.html.select_one("#workload") is None
    page = admin_app.get(f"/projects/{project.id}/workload")
    assert "add members to the project" in text(page.html.select_one("#workload-empty"))


def test_big_departments_are_paged_fifty_people_a_page(dbsession, testapp, factory):
    lead = factory.user(name="A lead")
    department = factory.department(
        members=[(lead, factory.role("Lead")), *cheap_users(dbsession, 55)]
    )
    login(testapp, lead.login)
    first = testapp.get(f"/departments/{department.id}/workload?{WEEKS}")
    assert len(first.html.select("#workload tbody tr")) == 50
    following = first.html.select_one("nav.pager a[rel=next]")["href"]
    assert "from=2026-03-02" in following and "weeks=2" in following
    second = testapp.get(following)
    assert len(second.html.select("#workload tbody tr")) == 6
    assert text(second.html.select_one("#workload tfoot th")) == "Total (this page)"
