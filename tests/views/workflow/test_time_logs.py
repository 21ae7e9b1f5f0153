"""Time-log pages: log, edit and delete, with the rules' messages and the permissions."""

from datetime import timedelta

import pytest

from stalker_web.models import TimeLog
from stalker_web.services.workflow.time_logs import create_time_log

from ...pages import csrf_token
from .helpers import MONDAY, flashes, logged_in


def moment(value):
    return value.strftime("%Y-%m-%d %H:%M")


def log_form(testapp, task):
    return testapp.get(f"/tasks/{task.id}/time-logs").forms["time-log-form"]


def test_an_artist_logs_time_on_their_task(testapp, project, shot, artist):
    form = log_form(logged_in(testapp, artist), shot)
    form["start"], form["end"] = moment(MONDAY), moment(MONDAY + timedelta(hours=2))
    page = form.submit(status=303).follow()
    assert f"Time logged on {project.code} / Animation." in flashes(page)
    assert [log.resource for log in shot.time_logs] == [artist]
    assert shot.status.code == "WIP"


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("", "", "start", "Enter a date and a time"),
        (MONDAY, MONDAY - timedelta(hours=1), "end", "A time log must end after it starts."),
        (MONDAY, "tomorrow", "end", "Enter a date and a time"),
    ],
)
def test_bad_dates_are_refused_under_their_field(testapp, shot, artist, start, end, field, message):
    form = log_form(logged_in(testapp, artist), shot)
    form["start"] = moment(start) if start else ""
    form["end"] = moment(end) if not isinstance(end, str) else end
    page = form.submit(status=400)
    assert message in page.html.find(id=f"{field}-errors").get_text()
    assert shot.time_logs == []


def test_an_overlap_is_refused_with_the_other_log(dbsession, testapp, shot, artist):
    create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=4))
    form = log_form(logged_in(testapp, artist), shot)
    form["start"] = moment(MONDAY + timedelta(hours=1))
    form["end"] = moment(MONDAY + timedelta(hours=2))
    page = form.submit(status=400)
    assert "Artist already logged time from 2026-03-02 09:00 UTC" in page.text
    assert len(shot.time_logs) == 1


def test_a_wrong_status_is_refused_with_a_message(dbsession, testapp, factory, shot, artist):
    from stalker_web.services.workflow import actions as workflow

    create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=1))
    workflow.hold(dbsession, shot)
    form = log_form(logged_in(testapp, artist), shot)
    form["start"] = moment(MONDAY + timedelta(days=1))
    form["end"] = moment(MONDAY + timedelta(days=1, hours=1))
    page = form.submit(status=400)
    assert (
        "Time can only be logged on a task that is Ready To Start, Work In Progress, Pending "
        "Review, Has Revision or Dependency Has Revision; this one is On Hold." in page.text
    )


@pytest.mark.parametrize(
    ("next_page", "location"), [("/my/timesheet", "/my/timesheet"), ("//evil.example/", None)]
)
def test_the_next_page_in_the_post_body_is_kept_only_on_this_site(
    dbsession, testapp, shot, artist, next_page, location
):
    task_page = f"/tasks/{shot.id}"
    logged_in(testapp, artist)
    values = {"csrf_token": csrf_token(testapp), "start": moment(MONDAY), "next": next_page}
    values["end"] = moment(MONDAY + timedelta(hours=1))
    logged = testapp.post(f"/tasks/{shot.id}/time-logs", values, status=303)
    assert logged.location == f"http://example.com{location or task_page}"
    [entry] = shot.time_logs
    values = {"csrf_token": csrf_token(testapp), "version_id": entry.version_id, "next": next_page}
    deleted = testapp.post(f"/time-logs/{entry.id}/delete", values, status=303)
    assert deleted.location == f"http://example.com{location or task_page}"


def test_only_the_task_s_resources_and_managers_log_time(testapp, factory, shot, supervisor, lead):
    logged_in(testapp, supervisor)
    testapp.get(f"/tasks/{shot.id}/time-logs", status=403)
    testapp.post(f"/tasks/{shot.id}/time-logs", {"csrf_token": csrf_token(testapp)}, status=403)
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)})
    form = log_form(logged_in(testapp, lead), shot)
    form["start"], form["end"] = moment(MONDAY), moment(MONDAY + timedelta(hours=1))
    form.submit(status=303)
    assert [log.resource for log in shot.time_logs] == [lead]


def test_editing_a_log_rechecks_the_rules(dbsession, testapp, shot, artist):
    first = create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=2))
    second = create_time_log(
        dbsession, shot, artist, MONDAY + timedelta(hours=3), MONDAY + timedelta(hours=4)
    )
    logged_in(testapp, artist)
    form = testapp.get(f"/time-logs/{second.id}/edit").forms["time-log-form"]
    assert form["start"].value == moment(second.start)
    form["start"] = moment(MONDAY + timedelta(hours=1))
    page = form.submit(status=400)
    assert "already logged time from 2026-03-02 09:00 UTC" in page.text
    form = page.forms["time-log-form"]
    form["start"] = moment(MONDAY + timedelta(hours=2))
    form.submit(status=303)
    assert (first.end, second.start) == (MONDAY + timedelta(hours=2),) * 2


def test_deleting_a_log(dbsession, testapp, shot, artist):
    entry = create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=2))
    logged_in(testapp, artist)
    page = testapp.get(f"/time-logs/{entry.id}/edit")
    page.forms["time-log-delete"].submit(status=303)
    assert dbsession.query(TimeLog).filter_by(task_id=shot.id).count() == 0
    assert shot.status.code == "RTS"


def test_a_stale_delete_is_refused_and_nothing_changes(dbsession, testapp, shot, artist):
    entry = create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=2))
    logged_in(testapp, artist)
    response = testapp.post(
        f"/time-logs/{entry.id}/delete",
        {"csrf_token": csrf_token(testapp), "version_id": entry.version_id + 5},
        status=303,
    )
    assert "changed by someone else" in flashes(response.follow())
    assert response.headers["X-Tm"] == "abort"
    assert dbsession.get(TimeLog, entry.id) is not None


def test_only_the_log_s_resource_edits_or_deletes_it(dbsession, testapp, shot, artist, lead):
    entry = create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=2))
    logged_in(testapp, lead)
    testapp.get(f"/time-logs/{entry.id}/edit", status=403)
    testapp.post(
        f"/time-logs/{entry.id}/delete",
        {"csrf_token": csrf_token(testapp), "version_id": entry.version_id},
        status=403,
    )
