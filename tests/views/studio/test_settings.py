"""The studio settings page through the real form: view, edit, refused input, read-only access."""

import copy

import pytest

from ...conftest import login
from ..accounts.test_departments import csrf_token


def summary(page) -> dict[str, str]:
    table = page.html.find("table", id="studio-summary")
    return {row.th.get_text(strip=True): row.td.get_text(strip=True) for row in table("tr")}


def field_errors(page, field: str) -> str:
    errors = page.html.find(id=f"{field}-errors")
    return "" if errors is None else errors.get_text(" ", strip=True)


def test_settings_form_shows_the_current_calendar(admin_app, factory):
    studio = factory.studio()
    page = admin_app.get("/studio")
    form = page.forms["studio-form"]
    assert form["name"].value == studio.name
    assert form["mon"].value == "09:00-18:00"
    assert form["sat"].value == "off"
    assert form["daily_working_hours"].value == "9"
    assert form["timing_resolution_minutes"].value == "60"
    assert summary(page) == {
        "Weekly working hours": "45",
        "Working days a week": "5",
        "Working days a year": "261",
    }


def test_saving_settings_updates_the_studio_and_its_derived_figures(admin_app, factory):
    studio = factory.studio()
    form = admin_app.get("/studio").forms["studio-form"]
    form["name"] = "  Blue   Sky Studio "
    form["mon"] = "09:00-13:00, 14:00 - 18:30"
    form["fri"] = "off"
    form["sat"] = "10:00-14:00"
    form["sun"] = ""
    form["daily_working_hours"] = "8"
    form["timing_resolution_minutes"] = "15"
    page = form.submit(status=303).follow()
    assert "Studio settings saved." in page.text
    assert studio.name == "Blue Sky Studio"
    assert studio.working_hours["mon"] == [[540, 780], [840, 1110]]
    assert studio.working_hours["fri"] == []
    assert studio.working_hours["sat"] == [[600, 840]]
    assert studio.working_hours["sun"] == []
    assert studio.daily_working_hours == 8
    assert studio.timing_resolution_minutes == 15
    assert page.forms["studio-form"]["mon"].value == "09:00-13:00, 14:00-18:30"
    assert summary(page)["Weekly working hours"] == "39.5"
    assert summary(page)["Working days a week"] == "5"


def test_a_day_can_end_at_midnight(admin_app, factory):
    form = admin_app.get("/studio").forms["studio-form"]
    form["sun"] = "20:00-24:00"
    form.submit(status=303)
    assert factory.studio().working_hours["sun"] == [[1200, 1440]]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mon", "9 to 5", "9 to 5 is not a time range."),
        ("mon", "09:00-13:00,", "An empty part is not a time range."),
        ("tue", "18:00-09:00", "18:00-09:00 must end after it starts."),
        ("wed", "10:00-10:00", "10:00-10:00 must end after it starts."),
        ("thu", "09:00-13:00, 12:00-15:00", "09:00-13:00 and 12:00-15:00 overlap"),
        ("fri", "20:00-24:30", "20:00-24:30 is outside the day"),
        ("sat", "09:75-10:00", "09:75-10:00 has minutes past 59"),
        ("name", "   ", "A name is required."),
        ("daily_working_hours", "0", "a whole number from 1 to 24"),
        ("daily_working_hours", "25", "a whole number from 1 to 24"),
        ("daily_working_hours", "nine", "Enter a whole number of hours from 1 to 24."),
    ],
)
def test_bad_settings_are_refused_under_their_field(admin_app, factory, field, value, message):
    studio = factory.studio()
    before = (studio.name, copy.deepcopy(studio.working_hours), studio.daily_working_hours)
    form = admin_app.get("/studio").forms["studio-form"]
    form["name"] = "Renamed Studio"  # a valid change sent along with the bad one
    form[field] = value
    page = form.submit(status=400)
    assert message in field_errors(page, field)
    assert (studio.name, studio.working_hours, studio.daily_working_hours) == before


def test_a_timing_resolution_outside_the_choices_is_refused(admin_app, factory):
    form = admin_app.get("/studio").forms["studio-form"]
    form["timing_resolution_minutes"].force_value("7")
    page = form.submit(status=400)
    assert "Choose a timing resolution of 5, 10, 15, 20, 30, 60 minutes." in field_errors(
        page, "timing_resolution_minutes"
    )
    assert factory.studio().timing_resolution_minutes == 60


def test_settings_changed_meanwhile_are_not_overwritten(admin_app, factory):
    studio = factory.studio()
    form = admin_app.get("/studio").forms["studio-form"]
    studio.name = "Changed Elsewhere"
    factory.dbsession.flush()
    form["name"] = "Mine"
    page = form.submit(status=400)
    assert "The studio was changed by someone else" in page.text
    assert studio.name == "Changed Elsewhere"


def test_readers_see_the_settings_without_a_form(testapp, factory):
    login(testapp, factory.user_allowed("Read_Studio").login)
    page = testapp.get("/studio")
    assert "studio-form" not in page.forms
    rows = {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in page.html.find("table", id="studio-settings")("tr")
    }
    assert rows["Monday"] == "09:00-18:00"
    assert rows["Sunday"] == "off"
    assert rows["Timing resolution"] == "60 minutes"
    assert page.html.find("a", string="Studio settings") is not None


def test_readers_cannot_save_settings(testapp, factory):
    login(testapp, factory.user_allowed("Read_Studio").login)
    testapp.post(
        "/studio",
        {"csrf_token": csrf_token(testapp), "name": "Hijacked", "version_id": "1"},
        status=403,
    )
    assert factory.studio().name != "Hijacked"


def test_settings_are_forbidden_without_read_permission(testapp, factory):
    login(testapp, factory.user().login)
    page = testapp.get("/")
    assert page.html.find("a", string="Studio settings") is None
    testapp.get("/studio", status=403)


def test_admins_may_be_required_to_sign_in_with_two_factor(admin_app, factory):
    studio = factory.studio()
    page = admin_app.get("/studio")
    form = page.forms["studio-form"]
    assert not form["require_admin_two_factor"].checked
    form["require_admin_two_factor"] = True
    form.submit(status=303)
    assert studio.require_admin_two_factor
    # The acting administrator is now sent to set it up.
    assert admin_app.get("/studio", status=303).location == "http://example.com/profile/two-factor"


def test_the_two_factor_requirement_is_shown_to_readers(testapp, factory):
    factory.studio().require_admin_two_factor = True
    reader = factory.user_allowed("Read_Studio")
    login(testapp, reader.login)
    settings = testapp.get("/studio").html.find("table", id="studio-settings")
    assert "Two-factor sign-in for administrators" in settings.get_text()
    assert "Required" in settings.get_text()
