"""The hours grid of the weekly timesheet, through the real page: placing hours in the day's
free working hours, the interval form's rules, all or nothing, concurrent changes."""

from datetime import UTC, datetime, timedelta

from stalker_web.services.workflow.time_logs import create_time_log

from ..workflow.helpers import MONDAY, flashes, logged_in

WEEK = "2026-W10"  # Monday 2 March 2026; the default studio works 09:00-18:00 UTC


def grid_form(testapp, week=WEEK):
    return testapp.get(f"/my/timesheet?week={week}").forms["timesheet-grid-form"]


def cell(task, day: int) -> str:
    return f"hours-{task.id}-{day}"


def spans(task):
    return sorted((log.start, log.end) for log in task.time_logs)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2 + day, hour, minute, tzinfo=UTC)


def test_the_grid_lists_my_open_tasks_with_their_paths_and_the_days(testapp, project, shot, artist):
    page = logged_in(testapp, artist).get(f"/my/timesheet?week={WEEK}")
    grid = page.html.find("table", id="timesheet-grid")
    days = [th.get_text() for th in grid.thead("th")][1:8]
    assert days == ["Mon 02 Mar", "Tue 03 Mar", "Wed 04 Mar", "Thu 05 Mar", "Fri 06 Mar",
                    "Sat 07 Mar", "Sun 08 Mar"]  # fmt: skip
    row = grid.find("tr", attrs={"data-task-id": str(shot.id)})
    assert row.th.get_text(strip=True) == f"{project.code} / Animation"
    working = [td.get_text() for td in grid.tfoot("tr")[1]("td")]
    assert working == ["9", "9", "9", "9", "9", "0", "0", "45"]


def test_hours_are_placed_in_the_days_working_hours(testapp, shot, artist):
    form = grid_form(logged_in(testapp, artist))
    form[cell(shot, 1)] = "2.5"
    form[cell(shot, 3)] = "1:15"
    page = form.submit(status=303).follow()
    assert "Your week is saved (2 days changed)." in flashes(page)
    assert spans(shot) == [(at(1, 9), at(1, 11, 30)), (at(3, 9), at(3, 10, 15))]
    again = page.forms["timesheet-grid-form"]
    assert (again[cell(shot, 1)].value, again[cell(shot, 3)].value) == ("2.5", "1.25")


def test_hours_go_around_my_other_logs_and_fewer_hours_shorten_the_last_log(
    dbsession, testapp, factory, project, shot, artist
):
    other = factory.task(project=project, name="Layout", resources=[artist])
    create_time_log(dbsession, other, artist, at(0, 10), at(0, 12))
    form = grid_form(logged_in(testapp, artist))
    form[cell(shot, 0)] = "3"
    form.submit(status=303)
    assert spans(shot) == [(at(0, 9), at(0, 10)), (at(0, 12), at(0, 14))]
    form = grid_form(testapp)
    form[cell(shot, 0)] = "0.5"
    form.submit(status=303)
    assert spans(shot) == [(at(0, 9), at(0, 9, 30))]
    assert spans(other) == [(at(0, 10), at(0, 12))]


def test_more_hours_than_the_working_day_are_refused_naming_task_and_day(
    testapp, project, shot, artist
):
    form = grid_form(logged_in(testapp, artist))
    form[cell(shot, 2)] = "10"
    page = form.submit(status=400)
    summary = page.html.find(id="grid-errors").get_text(" ", strip=True)
    assert f"{project.code} / Animation, Wed 04 Mar: 10 h do not fit in the day's 9 h" in summary
    assert page.forms["timesheet-grid-form"][cell(shot, 2)].value == "10"
    assert "do not fit" in page.html.find(id=f"cell-{shot.id}-2-error").get_text()
    assert shot.time_logs == []


def test_one_refused_cell_saves_nothing(dbsession, testapp, factory, project, shot, artist):
    other = factory.task(project=project, name="Layout", resources=[artist])
    form = grid_form(logged_in(testapp, artist))
    form[cell(shot, 0)] = "4"
    form[cell(other, 0)] = "6"  # 4 + 6 > the 9 working hours of Monday
    form[cell(other, 1)] = "lots"
    page = form.submit(status=400)
    assert "'lots' is not a number of hours" in page.html.get_text()
    assert shot.time_logs == [] and other.time_logs == []
    form = page.forms["timesheet-grid-form"]
    form[cell(other, 1)] = "1"
    page = form.submit(status=400)
    assert (
        "only 5 h of the day's working hours are free"
        in page.html.find(id=f"cell-{other.id}-0-error").get_text()
    )
    assert shot.time_logs == [] and other.time_logs == []


def test_a_task_whose_status_refuses_time_is_refused_in_words(
    dbsession, testapp, shot, lighting, artist
):
    form = grid_form(logged_in(testapp, artist))
    assert form[cell(lighting, 0)].attrs.get("disabled") is not None  # waiting: read only
    form[cell(lighting, 0)].force_value("2")
    page = testapp.post(
        f"/my/timesheet/grid?week={WEEK}",
        {
            "csrf_token": form["csrf_token"].value,
            "fingerprint": form["fingerprint"].value,
            cell(lighting, 0): "2",
            cell(shot, 0): "1",
        },
        status=400,
    )
    assert (
        "Time can only be logged on a task that is"
        in page.html.find(id=f"cell-{lighting.id}-0-error").get_text()
    )
    assert lighting.time_logs == [] and shot.time_logs == []


def test_a_week_changed_since_the_page_was_opened_is_refused(dbsession, testapp, shot, artist):
    form = grid_form(logged_in(testapp, artist))
    create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=1))  # elsewhere
    form[cell(shot, 1)] = "2"
    page = form.submit(status=409)
    assert "your week changed since you opened it; here is the current one" in page.text.lower()
    assert page.forms["timesheet-grid-form"][cell(shot, 0)].value == "1"
    assert spans(shot) == [(MONDAY, MONDAY + timedelta(hours=1))]


def test_the_grid_page_sends_as_many_statements_whatever_my_tasks_and_logs(
    dbsession, testapp, factory, project, shot, artist, queries_of
):
    logged_in(testapp, artist)
    url = f"/my/timesheet?week={WEEK}"
    testapp.get(url)
    few = queries_of(testapp, url)
    for number in range(6):
        task = factory.task(project=project, name=f"Extra {number}", resources=[artist])
        start = at(number % 5, 9 + number)
        create_time_log(dbsession, task, artist, start, start + timedelta(minutes=30))
    assert queries_of(testapp, url) == few
