"""Submitting a week, a department lead's page of submitted weeks, locking and unlocking; a
locked week refuses changes from the grid and from the interval forms alike."""

from datetime import timedelta

from stalker_web.services.workflow.time_logs import create_time_log

from ..workflow.helpers import MONDAY, flashes, logged_in
from .test_grid import WEEK, at, cell, grid_form, spans


def department_lead(factory, artist, name="Animation"):
    """A department holding ``artist`` and a lead (a role managing the department)."""
    lead = factory.user(name=f"{name} lead")
    role = factory.role(f"{name} Lead", manages_department=True)
    department = factory.department(name, members=[artist, (lead, role)])
    return department, lead


def submit(testapp, week=WEEK):
    form = testapp.get(f"/my/timesheet?week={week}").forms["timesheet-submit-form"]
    return form.submit(status=303).follow()


def lock(testapp, department, user, action="lock"):
    page = testapp.get(f"/departments/{department.id}/timesheets?week={WEEK}")
    row = page.html.find("tr", attrs={"data-user-id": str(user.id)})
    assert row.find("input", attrs={"name": "action"})["value"] == action
    return testapp.post(
        f"/departments/{department.id}/timesheets/lock?week={WEEK}",
        {"csrf_token": page.forms[0]["csrf_token"].value, "user_id": user.id, "action": action},
        status=303,
    ).follow()


def test_a_lead_sees_submitted_weeks_with_totals_and_locks_one(
    dbsession, testapp, factory, shot, artist
):
    department, lead = department_lead(factory, artist)
    create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=3))
    page = submit(logged_in(testapp, artist))
    assert "Week 2026-W10 submitted to your department's leads." in flashes(page)
    assert page.html.find(id="week-state").get_text().startswith("submitted 2026-")

    page = logged_in(testapp, lead).get(f"/departments/{department.id}/timesheets?week={WEEK}")
    row = page.html.find("tr", attrs={"data-user-id": str(artist.id)})
    assert row("td")[0].get_text() == "3 h"
    assert row("td")[1].get_text().startswith("submitted")
    page = lock(testapp, department, artist)
    assert f"{artist.name}'s week 2026-W10 is locked." in flashes(page)
    row = page.html.find("tr", attrs={"data-user-id": str(artist.id)})
    assert row("td")[1].get_text().startswith(f"locked by {lead.name}")


def test_a_locked_week_refuses_the_grid_and_the_interval_forms(
    dbsession, testapp, factory, shot, artist
):
    department, lead = department_lead(factory, artist)
    entry = create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=1))
    submit(logged_in(testapp, artist))
    lock(logged_in(testapp, lead), department, artist)

    logged_in(testapp, artist)
    page = testapp.get(f"/my/timesheet?week={WEEK}")
    assert "This week is locked" in page.text
    form = page.forms["timesheet-grid-form"]
    refused = testapp.post(
        f"/my/timesheet/grid?week={WEEK}",
        {"csrf_token": form["csrf_token"].value, "fingerprint": form["fingerprint"].value,
         cell(shot, 1): "2"},
        status=400,
    )  # fmt: skip
    assert "The week 2026-W10 is locked" in refused.html.find(id=f"cell-{shot.id}-1-error").text

    form = page.forms["timesheet-log-form"]
    form["task"] = str(shot.id)
    form["start"], form["end"] = "2026-03-03T10:00", "2026-03-03T12:00"
    refused = form.submit(status=400)
    assert "The week 2026-W10 is locked (by Animation lead)" in refused.text
    edit = testapp.get(f"/time-logs/{entry.id}/edit").forms["time-log-form"]
    edit["end"] = "2026-03-02T12:00"
    assert "is locked" in edit.submit(status=400).text
    assert spans(shot) == [(MONDAY, MONDAY + timedelta(hours=1))]

    lock(logged_in(testapp, lead), department, artist, action="unlock")
    form = grid_form(logged_in(testapp, artist))
    form[cell(shot, 1)] = "2"
    form.submit(status=303)
    assert spans(shot) == [(MONDAY, MONDAY + timedelta(hours=1)), (at(1, 9), at(1, 11))]


def test_only_leads_of_that_department_see_its_weeks(testapp, factory, artist):
    department, _ = department_lead(factory, artist)
    other_artist = factory.user(name="Other artist")
    _, other_lead = department_lead(factory, other_artist, name="Lighting")
    url = f"/departments/{department.id}/timesheets?week={WEEK}"
    logged_in(testapp, other_lead).get(url, status=403)
    logged_in(testapp, artist).get(url, status=403)
    page = testapp.get(f"/my/timesheet?week={WEEK}")
    csrf = page.forms["timesheet-grid-form"]["csrf_token"].value
    testapp.post(
        f"/departments/{department.id}/timesheets/lock?week={WEEK}",
        {"csrf_token": csrf, "user_id": artist.id, "action": "lock"},
        status=403,
    )


def test_a_lead_cannot_lock_a_week_not_submitted_nor_someone_outside_the_department(
    testapp, factory, artist
):
    department, lead = department_lead(factory, artist)
    stranger = factory.user(name="Stranger")
    page = logged_in(testapp, lead).get(f"/departments/{department.id}/timesheets?week={WEEK}")
    csrf = page.forms[0]["csrf_token"].value if page.forms else None
    assert "waiting for them to submit" in page.text
    csrf = csrf or testapp.get("/my/timesheet").forms["timesheet-grid-form"]["csrf_token"].value
    url = f"/departments/{department.id}/timesheets/lock?week={WEEK}"
    page = testapp.post(url, {"csrf_token": csrf, "user_id": artist.id, "action": "lock"})
    assert "has not submitted the week 2026-W10 yet" in flashes(page.follow())
    page = testapp.post(url, {"csrf_token": csrf, "user_id": stranger.id, "action": "lock"})
    assert f"Choose a member of {department.name}." in flashes(page.follow())
