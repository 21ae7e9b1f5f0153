"""My tasks: the artist's tasks with status, progress and remaining time, the quick forms."""

from datetime import UTC, datetime, timedelta

from stalker_web.services.workflow.time_logs import create_time_log

from ...pages import form_posting_to
from .helpers import MONDAY, flashes, logged_in


def rows(page):
    """The rows of My tasks by the task's name (its path without the project code)."""
    table = page.html.find(id="my-tasks")
    return {row.th.a.get_text(strip=True).split(" / ", 1)[1]: row for row in table.tbody("tr")}


def test_the_artist_sees_their_tasks_with_progress(dbsession, testapp, shot, lighting, artist):
    create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=1))
    page = logged_in(testapp, artist).get("/my/tasks")
    found = rows(page)
    assert set(found) == {"Animation", "Lighting"}
    assert "25 %" in found["Animation"].get_text()
    assert "3 h" in found["Animation"].get_text()
    badge = found["Lighting"].find(class_="status")
    assert badge.find(attrs={"aria-hidden": "true"}).get_text() == "WFD"
    assert badge.find(class_="visually-hidden").get_text() == "Waiting For Dependency"


def test_quick_log_and_request_review_from_the_list(dbsession, testapp, project, shot, artist):
    page = logged_in(testapp, artist).get("/my/tasks")
    form = form_posting_to(page, f"http://example.com/tasks/{shot.id}/time-logs")
    form["start"], form["end"] = "2026-03-02T09:00", "2026-03-02T11:00"
    page = form.submit(status=303).follow()
    assert page.request.path == "/my/tasks"
    assert f"Time logged on {project.code} / Animation." in flashes(page)
    form_posting_to(page, f"http://example.com/tasks/{shot.id}/status/request_review").submit(
        status=303
    )
    assert shot.status.code == "PREV"


def test_completed_tasks_are_hidden_unless_asked(dbsession, testapp, factory, project, artist):
    from stalker_web.services.workflow import actions as workflow

    task = factory.task(project=project, name="Done", resources=[artist])
    create_time_log(dbsession, task, artist, MONDAY, MONDAY + timedelta(hours=1))
    workflow.stop(dbsession, task)
    logged_in(testapp, artist)
    assert testapp.get("/my/tasks").html.find(id="my-tasks") is None
    assert "Done" in rows(testapp.get("/my/tasks?show=all"))


def test_other_people_s_tasks_are_not_listed(testapp, factory, shot):
    page = logged_in(testapp, factory.user()).get("/my/tasks")
    assert page.html.find(id="my-tasks") is None


def test_tasks_are_named_by_their_path_and_marked_late(testapp, factory, project, artist):
    shot = factory.task("Shot", project=project, name="SH010")
    past = datetime.now(UTC) - timedelta(days=1)
    factory.task(parent=shot, name="Layout", resources=[artist], end=past)
    row = logged_in(testapp, artist).get("/my/tasks").html.find(id="my-tasks").tbody.tr
    assert row.th.a.get_text() == f"{project.code} / SH010 / Layout"
    assert row.find(class_="standing").get_text() == "Late"


def test_the_query_count_does_not_grow_with_the_tasks(
    dbsession, testapp, factory, project, artist, count_queries
):
    logged_in(testapp, artist)

    def queries_for(count):
        for number in range(count):
            parent = factory.task(project=project, name=f"Shot {count}-{number}")
            late = datetime.now(UTC) - timedelta(days=1)
            task = factory.task(
                parent=parent, resources=[artist], name=f"T{count}-{number}", end=late
            )
            start = MONDAY + timedelta(days=count * 10 + number)
            create_time_log(dbsession, task, artist, start, start + timedelta(hours=1))
        dbsession.flush()
        with count_queries() as counter:
            testapp.get("/my/tasks")
        return counter.count

    few = queries_for(2)
    assert queries_for(12) == few
    assert few <= 15  # issue 16: at most 15 statements a page
