"""The notification preferences page: a table of kinds and channels saved at once."""

from stalker_web.models import NotificationChannel
from stalker_web.services.notifications.preferences import NotificationKind, preferences_of

from ...conftest import login


def test_the_table_offers_every_channel_for_every_kind_with_the_defaults_chosen(testapp, factory):
    user = factory.user()
    login(testapp, user.login)

    page = testapp.get("/profile/notifications")
    table = page.html.find(id="notification-preferences")
    headers = [th.get_text() for th in table.thead.find_all("th")]
    assert headers == ["When", "Inbox", "Inbox and e-mail", "Inbox and daily digest", "Off"]
    form = page.forms["preferences-form"]
    assert form["mention"].value == "email" and form["status"].value == "inbox"
    label = table.find("label", attrs={"for": "status-2"}).get_text()
    assert label == "Status changes: Inbox and daily digest"


def test_saving_keeps_the_choices(testapp, dbsession, factory):
    user = factory.user()
    login(testapp, user.login)
    form = testapp.get("/profile/notifications").forms["preferences-form"]
    form["status"] = "digest"
    form["mention"] = "off"

    page = form.submit(status=303).follow()
    assert "Your notification preferences are saved." in page.text
    chosen = preferences_of(dbsession, user)
    assert chosen[NotificationKind.STATUS] is NotificationChannel.DIGEST
    assert chosen[NotificationKind.MENTION] is NotificationChannel.OFF
    assert page.forms["preferences-form"]["status"].value == "digest"


def test_a_channel_that_is_not_offered_is_refused_beside_its_kind(testapp, dbsession, factory):
    user = factory.user()
    login(testapp, user.login)
    form = testapp.get("/profile/notifications").forms["preferences-form"]
    fields = dict(form.submit_fields())
    fields["status"] = "pigeon"

    page = testapp.post("/profile/notifications", fields, status=400)
    assert "Not a valid choice" in page.html.find(id="preference-status").get_text()
    assert preferences_of(dbsession, user)[NotificationKind.STATUS] is NotificationChannel.INBOX


def test_the_profile_links_to_the_preferences(testapp, factory):
    user = factory.user()
    login(testapp, user.login)
    link = testapp.get("/profile").html.find(id="notifications-link")
    assert link["href"].endswith("/profile/notifications")
