"""Project pages through the real forms: list, create, overview, edit and members, with the ACL."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from stalker_web.models import ImageFormat, Project, TimeLog

from ...conftest import login
from ...factories.accounts import cheap_users
from ...factories.projects import member
from ...pages import csrf_token


def view_url(project) -> str:
    return f"/projects/{project.id}"


@pytest.fixture
def producer_app(testapp, factory):
    """A logged-in member of a project holding the Producer role; returns (app, project)."""
    project = factory.project(name="Produced")
    user = member(project, factory.user(), factory.role("Producer"))
    login(testapp, user.login)
    return testapp, project


# The list


def test_list_shows_only_my_projects_without_list_permission(testapp, factory):
    user = factory.user()
    mine = factory.project(name="Mine")
    factory.project(name="Someone else's")
    member(mine, user)
    login(testapp, user.login)
    page = testapp.get("/projects")
    names = [row.th.get_text(strip=True) for row in page.html.find("tbody")("tr")]
    assert names == ["Mine"]
    assert page.html.h1.get_text() == "My projects"
    assert page.html.find("a", string="New project") is None


def test_list_shows_every_project_to_holders_of_list_project(testapp, factory):
    factory.project(name="First")
    factory.project(name="Second")
    login(testapp, factory.user_allowed("List_Project").login)
    page = testapp.get("/projects")
    assert "First" in page.text and "Second" in page.text


def test_list_takes_the_same_queries_for_3_and_30_projects(admin_app, factory, count_queries):
    for _ in range(3):
        member(factory.project(), factory.user())
    with count_queries() as few:
        admin_app.get("/projects")
    for _ in range(27):
        member(factory.project(), factory.user())
    with count_queries() as many:
        admin_app.get("/projects")
    assert many.count == few.count


# Create


def test_create_project_through_the_form(admin_app, dbsession):
    image_format = dbsession.scalars(select(ImageFormat)).first()
    form = admin_app.get("/projects/new").forms["project-form"]
    form["name"], form["code"], form["fps"] = "Big Film", "BF", "24"
    form["image_format_id"] = str(image_format.id)
    form["start"], form["end"] = "2027-01-04", "2027-06-30"
    page = form.submit(status=303).follow()
    project = dbsession.scalars(select(Project).where(Project.code == "BF")).one()
    assert (project.fps, project.image_format, project.status.code) == (24, image_format, "RTS")
    assert "Project Big Film created." in page.text
    assert "2027-06-30" in page.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("code", "B F", "Use only letters, digits and underscores in the code."),
        ("code", "", "A code is required."),
        ("name", "", "A name is required."),
        ("fps", "fast", "Enter a number such as 25 or 23.976."),
        ("fps", "-1", "The frame rate must be a number above zero."),
        ("start", "tomorrow", "Write the date as YYYY-MM-DD, for example 2026-03-01."),
        ("start", "2028-01-01", "The end cannot come before the start."),
    ],
)
def test_create_refuses_bad_input_and_saves_nothing(admin_app, dbsession, field, value, message):
    form = admin_app.get("/projects/new").forms["project-form"]
    form["name"], form["code"], form["end"] = "Film", "FILM", "2027-12-31"
    form[field] = value
    page = form.submit(status=400)
    assert message in page.text
    assert dbsession.scalars(select(Project).where(Project.name == "Film")).first() is None


def test_create_refuses_a_code_taken_in_another_case(admin_app, factory):
    factory.project(code="Film")
    form = admin_app.get("/projects/new").forms["project-form"]
    form["name"], form["code"] = "Other", "FILM"
    assert "Another project already has the code" in form.submit(status=400).text


def test_create_is_forbidden_without_create_project(testapp, factory):
    login(testapp, factory.user().login)
    testapp.get("/projects/new", status=403)


# The overview


def test_member_sees_the_overview_with_counts_and_team(testapp, factory):
    project = factory.project(name="Shown")
    user = member(project, factory.user(name="Ann Artist"), factory.role("Artist"))
    sequence = factory.task("Sequence", project=project)
    factory.task("Shot", parent=sequence, sequence=sequence)
    login(testapp, user.login)
    page = testapp.get(view_url(project))
    kinds = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in page.html.find(id="type-counts").tbody("tr")
    }
    assert kinds == {"Sequence": "1", "Shot": "1"}
    assert "Ann Artist" in page.html.find(id="members").get_text()
    assert "Shot" in page.html.find(id="recent-changes").get_text()
    assert page.html.find("a", string="Edit") is None
    assert "member-add-form" not in page.forms


def test_recent_changes_do_not_repeat_a_kind_the_name_says(admin_app, factory):
    project = factory.project()
    factory.task("Sequence", project=project, name="Sequence 3", code="SQ3")
    factory.task("Sequence", project=project, name="Opening", code="SQ4")
    items = [
        item.get_text(" ", strip=True).split(" · ")[0]
        for item in admin_app.get(view_url(project)).html.find(id="recent-changes")("li")
    ]
    assert sorted(items) == ["Sequence 3", "Sequence Opening"]


def test_a_non_member_cannot_see_the_project(testapp, factory):
    project = factory.project()
    login(testapp, factory.user().login)
    testapp.get(view_url(project), status=403)


def test_read_project_holders_see_any_project(testapp, factory):
    project = factory.project(name="Open Project")
    login(testapp, factory.user_allowed("Read_Project").login)
    assert "Open Project" in testapp.get(view_url(project)).text


def test_overview_takes_the_same_queries_for_a_ten_times_larger_project(
    admin_app, factory, dbsession, count_queries
):
    def build(count):
        project = factory.project()
        for user in cheap_users(dbsession, count):
            member(project, user, factory.role("Artist"))
        for _ in range(count):
            factory.task(project=project)
        return project

    small, big = build(3), build(30)
    with count_queries() as few:
        admin_app.get(view_url(small))
    with count_queries() as many:
        admin_app.get(view_url(big))
    # A ceiling, not the goal (15): what it takes today, so none creeps back in.
    assert many.count == few.count <= 18


# Edit


def test_a_producer_member_edits_the_project(producer_app, dbsession):
    app, project = producer_app
    form = app.get(f"{view_url(project)}/edit").forms["project-form"]
    form["name"], form["code"], form["fps"] = "Renamed", "REN", "30"
    wip = next(option for option in form["status_id"].options if option[2] == "Work In Progress")
    form["status_id"] = wip[0]
    assert "Project Renamed saved." in form.submit(status=303).follow().text
    saved = (project.name, project.code, project.fps, project.status.code)
    assert saved == ("Renamed", "REN", 30, "WIP")


def test_edit_from_a_stale_page_is_refused(producer_app):
    app, project = producer_app
    form = app.get(f"{view_url(project)}/edit").forms["project-form"]
    form["version_id"] = str(project.version_id - 1)
    form["name"] = "Stale"
    assert "changed by someone else" in form.submit(status=400).text
    assert project.name == "Produced"


def test_a_member_without_a_manager_role_cannot_edit(testapp, factory):
    project = factory.project()
    user = member(project, factory.user(), factory.role("Artist"))
    login(testapp, user.login)
    testapp.get(f"{view_url(project)}/edit", status=403)
    testapp.post(f"{view_url(project)}/edit", {"csrf_token": csrf_token(testapp)}, status=403)
    other = member(project, factory.user())
    testapp.post(
        f"{view_url(project)}/members/{other.id}/remove",
        {"csrf_token": csrf_token(testapp)},
        status=403,
    )


def test_a_manager_of_another_project_cannot_edit_this_one(testapp, factory):
    project, elsewhere = factory.project(), factory.project()
    user = member(elsewhere, factory.user(), factory.role("Producer"))
    login(testapp, user.login)
    testapp.get(f"{view_url(project)}/edit", status=403)


def test_the_edit_form_shows_the_saved_dates(producer_app, dbsession):
    app, project = producer_app
    form = app.get(f"{view_url(project)}/edit").forms["project-form"]
    form["start"], form["end"] = "2027-01-04", "2027-02-01"
    form.submit(status=303)
    form = app.get(f"{view_url(project)}/edit").forms["project-form"]
    assert (form["start"].value, form["end"].value) == ("2027-01-04", "2027-02-01")
    form["end"] = "2026-12-31"
    assert "The end cannot come before the start." in form.submit(status=400).text
    assert project.end.date().isoformat() == "2027-02-01"


def test_every_logged_in_user_has_the_projects_link_to_their_own_projects(testapp, factory):
    login(testapp, factory.user().login)
    nav = testapp.get("/").html.find("nav")
    assert nav.find("a", string="Projects")["href"] == "http://example.com/projects"
    assert "You are not a member of any project yet." in testapp.get("/projects").text


# Progress on the overview


def log_time(dbsession, task, user, start, hours):
    dbsession.add(
        TimeLog(task=task, resource=user, start=start, end=start + timedelta(hours=hours))
    )
    dbsession.flush()


def progress_section(page):
    return page.html.find(id="project-progress")


def test_the_overview_shows_percent_complete_and_times(testapp, factory, dbsession):
    project = factory.project()
    user = member(project, factory.user(), factory.role("Artist"))
    model = factory.task(project=project, schedule_timing=2, schedule_unit="d")
    factory.task(project=project, schedule_timing=2, schedule_unit="d")
    log_time(dbsession, model, user, datetime(2026, 1, 5, 9, tzinfo=UTC), 9)
    login(testapp, user.login)
    section = progress_section(testapp.get(view_url(project)))
    assert section.find("progress")["value"] == "25.0"
    assert "25% complete" in section.get_text()
    figures = {dt.get_text(): dt.find_next("dd").get_text() for dt in section("dt")}
    assert figures == {"Scheduled": "4 d", "Logged": "1 d", "Remaining": "3 d"}
    assert "A day is 9 working hours." in section.get_text()


def test_the_overview_shows_elapsed_duration_tasks_in_hours(admin_app, factory):
    project = factory.project()
    edit = factory.task(project=project, schedule_timing=4, schedule_unit="h")
    edit.schedule_model = "duration"
    edit.set_dates(datetime(2020, 3, 2, 9, tzinfo=UTC), datetime(2020, 3, 2, 13, tzinfo=UTC))
    section = progress_section(admin_app.get(view_url(project)))
    figures = {dt.get_text(): dt.find_next("dd").get_text() for dt in section("dt")}
    assert figures == {"Scheduled": "4 h", "Logged": "4 h", "Remaining": "0 h"}
    assert "100% complete" in section.get_text()


def test_an_over_logged_project_shows_more_than_100_percent(admin_app, factory, dbsession, admin):
    project = factory.project()
    task = factory.task(project=project, schedule_timing=2, schedule_unit="h")
    log_time(dbsession, task, admin, datetime(2026, 1, 5, 9, tzinfo=UTC), 5)
    section = progress_section(admin_app.get(view_url(project)))
    assert section.find("progress")["value"] == "100.0"
    assert "250% complete" in section.get_text() and "over-logged" in section.get_text()
    assert section.find("dt", string="Remaining").find_next("dd").get_text() == "none: over by 3 h"


def test_a_project_with_nothing_scheduled_says_so(admin_app, factory):
    project = factory.project()
    page = admin_app.get(view_url(project))
    assert "Nothing is scheduled yet" in progress_section(page).get_text()
    assert page.html.find("progress") is None
    headings = [h2.get_text() for h2 in page.html("h2")]
    assert headings.index("Progress") == headings.index("Tasks") - 1


def test_a_non_member_cannot_see_a_project_progress(testapp, factory, dbsession):
    project = factory.project()
    factory.task(project=project)
    login(testapp, factory.user().login)
    assert "project-progress" not in testapp.get(view_url(project), status=403).text


def test_overview_queries_stay_the_same_with_ten_times_more_logged_tasks(
    admin_app, factory, dbsession, count_queries
):

    def build(count):
        (user,) = cheap_users(dbsession, 1)  # its own worker: logs of one user never overlap
        project = factory.project()
        parent = factory.task(project=project)
        start = datetime(2026, 1, 5, 9, tzinfo=UTC)
        for number in range(count):
            leaf = factory.task(parent=parent, schedule_timing=3)
            log_time(dbsession, leaf, user, start + timedelta(days=number), 1)
            length = factory.task(project=project, schedule_model="length")
            length.set_dates(start, start + timedelta(days=3))
        dbsession.flush()
        return project

    small, big = build(3), build(30)
    with count_queries() as few:
        small_page = admin_app.get(view_url(small))
    with count_queries() as many:
        big_page = admin_app.get(view_url(big))
    # Late tasks add their lists (the tasks, paths, thumbnails) to the page: still a ceiling.
    assert many.count == few.count <= 22
    assert "Logged" in progress_section(small_page).get_text()
    assert "Logged" in progress_section(big_page).get_text()
