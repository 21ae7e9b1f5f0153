"""The weekly timesheet: the grid, adding a log, edit/delete links, the week navigation."""

from datetime import timedelta

from stalker_web.services.workflow.time_logs import create_time_log

from .helpers import MONDAY, flashes, logged_in


def cell(page, day):
    return page.html.find("td", attrs={"data-day": day})


def test_the_week_grid_shows_my_logs_by_day(dbsession, testapp, shot, artist):
    create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=2))
    wednesday = MONDAY + timedelta(days=2)
    create_time_log(dbsession, shot, artist, wednesday, wednesday + timedelta(hours=3))
    create_time_log(
        dbsession, shot, artist, MONDAY + timedelta(days=7), MONDAY + timedelta(days=7, hours=1)
    )
    page = logged_in(testapp, artist).get("/my/timesheet?week=2026-W10")
    assert page.html.h1.get_text(" ", strip=True) == "Timesheet, week of 2 Mar 2026 (2026-W10)"
    assert "09:00–11:00" in cell(page, "2026-03-02").get_text()
    assert "09:00–12:00" in cell(page, "2026-03-04").get_text()
    assert "5 h logged" in page.text
    assert page.html.find("a", rel="next").get_text(strip=True) == "Next week →"
    assert page.html.find("a", rel="next")["href"].endswith("week=2026-W11")
    assert page.html.find("a", rel="prev")["href"].endswith("week=2026-W09")


def test_a_bad_week_shows_this_week(testapp, artist):
    page = logged_in(testapp, artist).get("/my/timesheet?week=nonsense")
    assert page.status_int == 200 and "Timesheet, week" in page.text


def test_adding_a_log_from_the_timesheet(testapp, project, shot, artist):
    page = logged_in(testapp, artist).get("/my/timesheet?week=2026-W10")
    form = page.forms["timesheet-log-form"]
    picker = page.html.find("select", attrs={"name": "task"})
    assert picker.find("option", value=str(shot.id)).get_text() == f"{project.code} / Animation"
    form["task"] = str(shot.id)
    form["start"], form["end"] = "2026-03-03T10:00", "2026-03-03T12:00"
    page = form.submit(status=303).follow()
    assert f"Time logged on {project.code} / Animation." in flashes(page)
    assert "10:00–12:00" in cell(page, "2026-03-03").get_text()


def test_a_refused_log_shows_the_rule(dbsession, testapp, shot, artist):
    create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=2))
    page = logged_in(testapp, artist).get("/my/timesheet?week=2026-W10")
    form = page.forms["timesheet-log-form"]
    form["task"] = str(shot.id)
    form["start"], form["end"] = "2026-03-02T10:00", "2026-03-02T10:30"
    page = form.submit(status=400)
    assert "time logs cannot overlap" in page.text
    page.forms["timesheet-log-form"]["task"] = ""
    page = page.forms["timesheet-log-form"].submit(status=400)
    assert "Choose a task." in page.html.find(id="task-errors").get_text()


def test_a_task_i_may_not_log_on_is_refused(testapp, factory, project, shot, artist):
    other = factory.task(project=project, name="Not mine")
    page = logged_in(testapp, artist).get("/my/timesheet?week=2026-W10")
    form = page.forms["timesheet-log-form"]
    form["task"].force_value(str(other.id))  # not offered: a forged request
    form["start"], form["end"] = "2026-03-03T10:00", "2026-03-03T12:00"
    page = form.submit(status=400)
    assert "You may not log time on Not mine." in page.text
    assert other.time_logs == []


def test_edit_and_delete_from_the_grid_come_back_to_the_week(dbsession, testapp, shot, artist):
    entry = create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=2))
    page = logged_in(testapp, artist).get("/my/timesheet?week=2026-W10")
    edit = page.click("Edit", href=f"/time-logs/{entry.id}/edit")
    form = edit.forms["time-log-form"]
    form["end"] = "2026-03-02T12:00"
    back = form.submit(status=303)
    assert back.location.endswith("/my/timesheet?week=2026-W10")
    assert entry.end == MONDAY + timedelta(hours=3)
    page = back.follow()
    [delete] = [
        f for f in page.forms.values() if f.action.endswith(f"/time-logs/{entry.id}/delete")
    ]
    assert delete.submit(status=303).location.endswith("/my/timesheet?week=2026-W10")


def test_the_query_count_does_not_grow_with_the_logs(
    dbsession, testapp, factory, project, artist, count_queries
):
    logged_in(testapp, artist)

    def queries_for(count):
        shot = factory.task(project=project, name=f"Shot {count}")
        for number in range(count):
            # One task per log, nested, so the grid and the picker name each by its path.
            task = factory.task(parent=shot, resources=[artist], name=f"Task {count}-{number}")
            start = MONDAY + timedelta(hours=number * 2 + count * 3)
            create_time_log(dbsession, task, artist, start, start + timedelta(hours=1))
        dbsession.flush()
        with count_queries() as counter:
            testapp.get("/my/timesheet?week=2026-W10")
        return counter.count

    few = queries_for(2)
    assert queries_for(10) == few
    assert few <= 15  # issue 16: at most 15 statements a page
