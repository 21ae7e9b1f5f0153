"""Time zones on the pages: the studio's zone on the settings page, each user's own on the
profile, dates shown in the viewer's zone with its mark and typed dates read in it."""

from datetime import UTC, datetime

from stalker_web.models import TimeLog

from .workflow.helpers import logged_in


def field_errors(page, field: str) -> str:
    errors = page.html.find(id=f"{field}-errors")
    return "" if errors is None else errors.get_text(" ", strip=True)


def test_the_studio_zone_is_set_on_the_settings_page(admin_app, factory):
    studio = factory.studio()
    page = admin_app.get("/studio")
    assert page.html.find("datalist", id="time-zone-names").find("option", value="America/Montreal")
    form = page.forms["studio-form"]
    assert form["time_zone"].value == "UTC"
    form["time_zone"] = "America/Montreal"
    form.submit(status=303)
    assert studio.time_zone == "America/Montreal"


def test_an_unknown_studio_zone_is_refused_under_its_field(admin_app, factory):
    studio = factory.studio()
    form = admin_app.get("/studio").forms["studio-form"]
    form["time_zone"] = "Montreal"
    page = form.submit(status=400)
    assert "'Montreal' is not a time zone name" in field_errors(page, "time_zone")
    assert studio.time_zone == "UTC"


def test_my_zone_is_chosen_on_my_profile_and_emptied_back_to_the_studios(testapp, factory):
    user = factory.user("ana", name="Ana")
    form = logged_in(testapp, user).get("/profile").forms["profile-form"]
    assert form["time_zone"].value == ""
    form["time_zone"] = "Asia/Kolkata"
    page = form.submit(status=303).follow()
    assert user.time_zone == "Asia/Kolkata"
    assert page.forms["profile-form"]["time_zone"].value == "Asia/Kolkata"
    form = page.forms["profile-form"]
    form["time_zone"] = ""
    form.submit(status=303)
    assert user.time_zone is None


def test_an_unknown_zone_on_my_profile_is_refused(testapp, factory):
    user = factory.user("ana", name="Ana")
    form = logged_in(testapp, user).get("/profile").forms["profile-form"]
    form["time_zone"] = "Europe/Atlantis"
    page = form.submit(status=400)
    assert "is not a time zone name" in field_errors(page, "time_zone")
    assert user.time_zone is None


def test_a_log_is_shown_in_each_viewers_zone_with_its_mark(
    dbsession, testapp, factory, shot, artist
):
    log = TimeLog(
        task=shot,
        resource=artist,
        start=datetime(2026, 3, 9, 13, 0, tzinfo=UTC),
        end=datetime(2026, 3, 9, 15, 0, tzinfo=UTC),
    )
    dbsession.add(log)
    dbsession.flush()
    factory.studio().time_zone = "America/Montreal"
    logged_in(testapp, artist)

    def shown_row():
        page = testapp.get(f"/tasks/{shot.id}")
        row = page.html.find("tr", attrs={"data-time-log-id": str(log.id)}) or page.html
        return row.get_text(" ", strip=True)

    assert "2026-03-09 09:00 EDT" in shown_row()  # the studio's zone
    artist.time_zone = "Asia/Kolkata"
    assert "2026-03-09 18:30 IST" in shown_row()  # my own
    week = testapp.get("/my/timesheet?week=2026-W11")
    assert "18:30–20:30 IST" in week.html.find("td", attrs={"data-day": "2026-03-09"}).get_text()


def test_the_time_log_form_reads_times_in_my_zone(testapp, factory, shot, artist):
    artist.time_zone = "America/Montreal"
    page = logged_in(testapp, artist).get(f"/tasks/{shot.id}/time-logs")
    form = page.forms["time-log-form"]
    assert "America/Montreal" in page.html.find("label", attrs={"for": "start"}).get_text()
    form["start"], form["end"] = "2026-03-09T09:00", "2026-03-09T11:00"
    form.submit(status=303)
    (log,) = shot.time_logs
    assert (log.start, log.end) == (
        datetime(2026, 3, 9, 13, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 15, 0, tzinfo=UTC),
    )


def test_a_time_the_clocks_skip_is_refused_on_the_time_log_form(testapp, factory, shot, artist):
    artist.time_zone = "America/Montreal"
    form = logged_in(testapp, artist).get(f"/tasks/{shot.id}/time-logs").forms["time-log-form"]
    form["start"], form["end"] = "2026-03-08T02:30", "2026-03-08T04:00"
    page = form.submit(status=400)
    assert "2026-03-08 02:30 does not exist in America/Montreal" in field_errors(page, "start")
    assert shot.time_logs == []
