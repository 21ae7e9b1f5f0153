"""Vacation pages: the studio's month, a user's calendar and list, create, edit and delete with
the rights of each (your own, or anybody's and holidays with Create_Vacation)."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from stalker_web.models import Vacation
from stalker_web.services.studio.initial_data import ensure_default_groups
from stalker_web.services.studio.vacations import create_vacation

from ...conftest import login
from ...pages import button_form, csrf_token


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def vacation(dbsession, user, start, end, **values) -> Vacation:
    return create_vacation(dbsession, user=user, start=start, end=end, **values)


def vacations_of(dbsession, user) -> list[Vacation]:
    whose = Vacation.user_id.is_(None) if user is None else Vacation.user_id == user.id
    return list(dbsession.scalars(select(Vacation).where(whose).order_by(Vacation.start)))


def day_cell(page, day: str):
    return page.html.find("td", attrs={"data-day": day})


# The studio calendar ----------------------------------------------------------------------


def test_the_studio_month_shows_holidays_and_everyones_vacations(admin_app, factory, dbsession):
    ann, bob = factory.user(name="Ann"), factory.user(name="Bob")
    vacation(dbsession, None, utc(2026, 12, 25), utc(2026, 12, 27), name="Christmas")
    vacation(dbsession, ann, utc(2026, 12, 21), utc(2026, 12, 24))
    vacation(dbsession, bob, utc(2026, 12, 23, 13), utc(2026, 12, 23, 18), name="Dentist")

    page = admin_app.get("/vacations", {"month": "2026-12"})

    assert page.html.find(id="month-label").get_text() == "December 2026"
    assert "dates in UTC" in page.html.find("caption").get_text()
    assert day_cell(page, "2026-12-26").find("li", class_="holiday").get_text() == "Christmas"
    assert [li.get_text() for li in day_cell(page, "2026-12-23").find_all("li")] == ["Ann", "Bob"]
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("td, th")][:3]
        for row in page.html.select("#vacation-list tbody tr")
    ]
    assert rows == [
        ["Ann", "Vacation", "2026-12-21 to 2026-12-23 (3 days)"],
        ["Bob", "Dentist", "2026-12-23 13:00 to 2026-12-23 18:00 UTC"],
        ["Everybody studio holiday", "Christmas", "2026-12-25 to 2026-12-26 (2 days)"],
    ]
    assert page.html.find("a", rel="next")["href"].endswith("month=2027-01")
    assert page.html.find("a", rel="prev")["href"].endswith("month=2026-11")


def test_a_bad_month_is_said_and_this_month_shown(admin_app):
    page = admin_app.get("/vacations", {"month": "2026-13"}, status=400)
    assert "Give the month as YYYY-MM." in page.html.find(id="month-error").get_text()


def test_the_studio_month_takes_the_same_queries_for_few_and_many(
    admin_app, factory, dbsession, count_queries
):
    vacation(dbsession, factory.user(), utc(2026, 3, 2), utc(2026, 3, 4))
    admin_app.get("/vacations", {"month": "2026-03"})
    with count_queries() as few:
        admin_app.get("/vacations", {"month": "2026-03"})
    for day in range(1, 29):
        vacation(dbsession, factory.user(), utc(2026, 3, day), utc(2026, 3, day, 12))
    vacation(dbsession, None, utc(2026, 3, 9), utc(2026, 3, 10))
    with count_queries() as many:
        page = admin_app.get("/vacations", {"month": "2026-03"})
    assert len(page.html.select("#vacation-list tbody tr")) == 30
    assert many.count == few.count


def test_the_studio_calendar_needs_list_vacation(testapp, factory):
    login(testapp, factory.user().login)
    testapp.get("/vacations", status=403)


# A user's calendar ------------------------------------------------------------------------


@pytest.mark.parametrize("group_name", ["Producers", "Coordinators"])
def test_the_planning_groups_see_the_studio_calendar(
    testapp, factory, dbsession, studio_config, group_name
):
    groups = ensure_default_groups(dbsession, studio_config["accounts"]["default_groups"])
    [group] = [group for group in groups if group.name == group_name]
    login(testapp, factory.user(groups=[group]).login)
    page = testapp.get("/vacations", status=200)
    nav = page.html.find("nav", attrs={"aria-label": "Main"})
    assert nav.find("a", string="Vacations")["href"].endswith("/vacations")


def test_a_user_sees_their_own_calendar_with_the_holidays(testapp, factory, dbsession):
    ann, bob = factory.user(name="Ann"), factory.user(name="Bob")
    vacation(dbsession, ann, utc(2026, 12, 21), utc(2026, 12, 24))
    vacation(dbsession, bob, utc(2026, 12, 21), utc(2026, 12, 24))
    vacation(dbsession, None, utc(2026, 12, 25), utc(2026, 12, 26), name="Christmas")
    login(testapp, ann.login)

    page = testapp.get(f"/users/{ann.id}/vacations", {"month": "2026-12"})

    assert page.html.find("h1").get_text() == "Vacations of Ann"
    assert [li.get_text() for li in day_cell(page, "2026-12-22").find_all("li")] == ["Ann"]
    assert day_cell(page, "2026-12-25").find("li").get_text() == "Christmas"
    [row] = page.html.select("#vacation-list tbody tr")
    assert "2026-12-21 to 2026-12-23 (3 days)" in row.get_text()
    assert row.find("a", string="Edit") is not None
    assert button_form(page, "Delete") is not None
    testapp.get(f"/users/{bob.id}/vacations", status=403)


def test_the_user_calendar_takes_the_same_queries_for_few_and_many(
    admin_app, factory, dbsession, count_queries
):
    ann = factory.user()
    vacation(dbsession, ann, utc(2025, 1, 6), utc(2025, 1, 7))
    admin_app.get(f"/users/{ann.id}/vacations", {"month": "2025-01"})
    with count_queries() as few:
        admin_app.get(f"/users/{ann.id}/vacations", {"month": "2025-01"})
    for month in range(2, 13):
        vacation(dbsession, ann, utc(2025, month, 2), utc(2025, month, 5))
        vacation(dbsession, None, utc(2025, month, 10), utc(2025, month, 11))
    with count_queries() as many:
        page = admin_app.get(f"/users/{ann.id}/vacations", {"month": "2025-01"})
    assert len(page.html.select("#vacation-list tbody tr")) == 12
    assert many.count == few.count


# Creating -----------------------------------------------------------------------------------


def test_anybody_records_their_own_vacation_in_whole_days(testapp, factory, dbsession):
    ann = factory.user(name="Ann")
    login(testapp, ann.login)
    page = testapp.get("/vacations/new")
    form = page.forms["vacation-form"]
    assert "user_id" not in form.fields
    assert "you (Ann)" in page.text
    form["start"] = "2026-12-21"
    form["end"] = "2026-12-23"
    response = form.submit(status=303)

    assert response.location.endswith(f"/users/{ann.id}/vacations")
    [saved] = vacations_of(dbsession, ann)
    assert (saved.start, saved.end, saved.name) == (
        utc(2026, 12, 21),
        utc(2026, 12, 24),
        "Vacation",
    )
    assert "Vacation recorded: 2026-12-21 to 2026-12-23 (3 days)." in response.follow().text


def test_a_vacation_with_times(testapp, factory, dbsession):
    ann = factory.user()
    login(testapp, ann.login)
    form = testapp.get("/vacations/new").forms["vacation-form"]
    form["start"], form["end"], form["name"] = "2026-12-23 13:00", "2026-12-23T18:30", "Dentist"
    form.submit(status=303)
    [saved] = vacations_of(dbsession, ann)
    assert (saved.start, saved.end, saved.name) == (
        utc(2026, 12, 23, 13),
        utc(2026, 12, 23, 18, 30),
        "Dentist",
    )


def bad_submission(testapp, start, end):
    form = testapp.get("/vacations/new").forms["vacation-form"]
    form["start"], form["end"] = start, end
    return form.submit(status=400)


def test_bad_dates_are_refused_under_their_fields(testapp, factory, dbsession):
    ann = factory.user()
    login(testapp, ann.login)
    page = bad_submission(testapp, "21/12/2026", "2026-12-23")
    assert "Enter a date as YYYY-MM-DD" in page.html.select_one(".field.has-error").get_text()
    page = bad_submission(testapp, "2026-12-21", "")
    assert "The end is required." in page.html.find(id="end-errors").get_text()
    page = bad_submission(testapp, "2026-12-21 18:00", "2026-12-21 09:00")
    assert "The end cannot come before the start." in page.html.find(id="end-errors").get_text()
    page = bad_submission(testapp, "2026-12-21 09:00", "2026-12-21 09:00")
    assert "A vacation must end after it starts." in page.html.find(id="end-errors").get_text()
    assert vacations_of(dbsession, ann) == []


def test_an_overlap_with_your_other_vacation_is_refused(testapp, factory, dbsession):
    ann = factory.user(name="Ann")
    vacation(dbsession, ann, utc(2026, 12, 21), utc(2026, 12, 24))
    login(testapp, ann.login)
    page = bad_submission(testapp, "2026-12-23", "2026-12-30")
    assert "Ann is already away then: 'Vacation' (2026-12-21 to 2026-12-23 (3 days))" in (
        page.html.find(id="start-errors").get_text()
    )
    assert len(vacations_of(dbsession, ann)) == 1


def test_without_create_vacation_nobody_else_can_be_named(testapp, factory, dbsession):
    ann, bob = factory.user(), factory.user()
    login(testapp, ann.login)
    token = csrf_token(testapp)
    values = {"csrf_token": token, "start": "2026-12-21", "end": "2026-12-22"}
    testapp.post("/vacations/new", {**values, "user_id": str(bob.id)}, status=403)
    testapp.post("/vacations/new", {**values, "user_id": "studio"}, status=403)
    assert vacations_of(dbsession, bob) == [] and vacations_of(dbsession, None) == []


def test_create_vacation_holders_record_anybodys_and_studio_holidays(testapp, factory, dbsession):
    manager, bob = factory.user_allowed("Create_Vacation", "List_Vacation"), factory.user()
    login(testapp, manager.login)
    page = testapp.get("/vacations/new", {"user_id": str(bob.id)})
    form = page.forms["vacation-form"]
    assert form["user_id"].value == str(bob.id)
    form["start"], form["end"] = "2026-12-21", "2026-12-22"
    assert form.submit(status=303).location.endswith(f"/users/{bob.id}/vacations")

    form = testapp.get("/vacations/new").forms["vacation-form"]
    assert form["user_id"].value == str(manager.id)
    form["user_id"] = "studio"
    form["start"], form["end"], form["name"] = "2026-12-25", "2026-12-26", "Christmas"
    assert form.submit(status=303).location.endswith("/vacations")
    assert [v.name for v in vacations_of(dbsession, None)] == ["Christmas"]
    assert len(vacations_of(dbsession, bob)) == 1


def test_an_unknown_user_is_refused(testapp, factory, dbsession):
    login(testapp, factory.user_allowed("Create_Vacation").login)
    values = {"start": "2026-12-21", "end": "2026-12-22", "csrf_token": csrf_token(testapp)}
    page = testapp.post("/vacations/new", {**values, "user_id": "987654"}, status=400)
    assert "Choose a user from the list." in page.html.find(id="user_id-errors").get_text()
    page = testapp.post("/vacations/new", {**values, "user_id": ""}, status=400)
    assert "Choose who is away." in page.html.find(id="user_id-errors").get_text()


# Editing and deleting -----------------------------------------------------------------------


def test_a_user_edits_their_own_vacation(testapp, factory, dbsession):
    ann = factory.user()
    own = vacation(dbsession, ann, utc(2026, 12, 21), utc(2026, 12, 24))
    login(testapp, ann.login)
    form = testapp.get(f"/vacations/{own.id}/edit").forms["vacation-form"]
    assert (form["start"].value, form["end"].value) == ("2026-12-21", "2026-12-23")
    form["end"] = "2026-12-31"
    form["name"] = "Long holiday"
    form.submit(status=303)
    assert (own.end, own.name) == (utc(2027, 1, 1), "Long holiday")


def test_an_edit_leaving_out_the_dates_is_refused_under_their_fields(testapp, factory, dbsession):
    ann = factory.user()
    own = vacation(dbsession, ann, utc(2026, 12, 21), utc(2026, 12, 24))
    login(testapp, ann.login)
    token = testapp.get(f"/vacations/{own.id}/edit").forms["vacation-form"]["csrf_token"].value
    page = testapp.post(
        f"/vacations/{own.id}/edit",
        {"csrf_token": token, "version_id": str(own.version_id)},
        status=400,
    )
    assert page.html.find(id="start-errors") is not None
    assert own.start == utc(2026, 12, 21)


def test_an_edit_on_a_stale_page_is_refused(testapp, factory, dbsession):
    ann = factory.user()
    own = vacation(dbsession, ann, utc(2026, 12, 21), utc(2026, 12, 24))
    login(testapp, ann.login)
    form = testapp.get(f"/vacations/{own.id}/edit").forms["vacation-form"]
    own.name = "Changed elsewhere"
    dbsession.flush()
    form["end"] = "2026-12-31"
    page = form.submit(status=400)
    assert "changed by someone else" in page.text
    assert own.end == utc(2026, 12, 24)


def test_others_vacations_and_holidays_need_class_level_rights(testapp, factory, dbsession):
    ann, bob = factory.user(), factory.user()
    bobs = vacation(dbsession, bob, utc(2026, 12, 21), utc(2026, 12, 24))
    holiday = vacation(dbsession, None, utc(2026, 12, 25), utc(2026, 12, 26))
    login(testapp, ann.login)
    token = csrf_token(testapp)
    for target in (bobs, holiday):
        testapp.get(f"/vacations/{target.id}/edit", status=403)
        testapp.post(f"/vacations/{target.id}/delete", {"csrf_token": token}, status=403)
    assert len(vacations_of(dbsession, bob)) == 1 and len(vacations_of(dbsession, None)) == 1


def test_an_owner_cannot_hand_their_vacation_to_somebody_else(testapp, factory, dbsession):
    ann, bob = factory.user(), factory.user()
    own = vacation(dbsession, ann, utc(2026, 12, 21), utc(2026, 12, 24))
    login(testapp, ann.login)
    form = testapp.get(f"/vacations/{own.id}/edit").forms["vacation-form"]
    values = dict(form.submit_fields())
    testapp.post(f"/vacations/{own.id}/edit", {**values, "user_id": str(bob.id)}, status=403)
    assert own.user == ann


def test_update_vacation_holders_edit_a_holiday(testapp, factory, dbsession):
    holiday = vacation(dbsession, None, utc(2026, 12, 25), utc(2026, 12, 26), name="Christmas")
    login(testapp, factory.user_allowed("Update_Vacation").login)
    page = testapp.get(f"/vacations/{holiday.id}/edit")
    assert "everybody (studio holiday)" in page.text
    form = page.forms["vacation-form"]
    form["end"] = "2026-12-27"
    form.submit(status=303)
    assert holiday.end == utc(2026, 12, 28) and holiday.user is None


def test_a_user_deletes_their_own_vacation(testapp, factory, dbsession):
    ann = factory.user()
    vacation(dbsession, ann, utc(2026, 12, 21), utc(2026, 12, 24))
    login(testapp, ann.login)
    page = testapp.get(f"/users/{ann.id}/vacations", {"month": "2026-12"})
    response = button_form(page, "Delete").submit(status=303)
    assert response.location.endswith(f"/users/{ann.id}/vacations")
    assert "Vacation (2026-12-21 to 2026-12-23 (3 days)) deleted." in response.follow().text
    assert vacations_of(dbsession, ann) == []


def test_delete_needs_the_csrf_token(testapp, factory, dbsession):
    ann = factory.user()
    own = vacation(dbsession, ann, utc(2026, 12, 21), utc(2026, 12, 24))
    login(testapp, ann.login)
    testapp.post(f"/vacations/{own.id}/delete", status=400)
    assert vacations_of(dbsession, ann) == [own]


def test_an_unknown_vacation_is_not_found(admin_app):
    admin_app.get("/vacations/987654/edit", status=404)
