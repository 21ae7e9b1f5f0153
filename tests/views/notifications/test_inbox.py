"""The inbox page: my notifications in words with links, marking them read, its empty states,
and the unread badge of the top bar."""

from datetime import timedelta

from stalker_web.services.workflow import actions
from stalker_web.services.workflow.time_logs import create_time_log

from ...conftest import login
from ...factories.calendar import MONDAY
from ...pages import csrf_token


def changes(dbsession, crew, publishing, count: int = 2) -> None:
    """``count`` status changes of the shot by the artist: to WIP, then on hold and back."""
    publishing(crew.artist)
    create_time_log(dbsession, crew.shot, crew.artist, MONDAY, MONDAY + timedelta(hours=1))
    more_changes(dbsession, crew, count - 1)


def more_changes(dbsession, crew, count: int) -> None:
    """``count`` more changes of the (WIP) shot: on hold, back, on hold..."""
    for number in range(count):
        (actions.hold if number % 2 == 0 else actions.resume)(dbsession, crew.shot)


def test_the_inbox_shows_each_notice_in_words_linked_to_its_task(
    testapp, dbsession, crew, publishing
):
    changes(dbsession, crew, publishing)
    login(testapp, crew.watcher.login)

    page = testapp.get("/inbox")
    items = page.html.select("#inbox > li")
    assert [item.select_one(".activity-sentence").get_text() for item in items] == [
        "Ana Artist moved FLM / Animation from Work In Progress to On Hold",
        "Ana Artist moved FLM / Animation from Ready To Start to Work In Progress",
    ]
    assert items[0].select_one(".activity-sentence a")["href"].endswith(f"/tasks/{crew.shot.id}")
    assert "because you watch it" in items[0].select_one(".activity-meta").get_text()
    assert all("unread" in item["class"] for item in items)
    assert page.html.find(id="inbox-views").get_text(" ", strip=True) == "All · Unread (2)"


def test_mark_read_marks_one_and_mark_all_read_the_rest(testapp, dbsession, crew, publishing):
    changes(dbsession, crew, publishing, count=3)
    login(testapp, crew.watcher.login)
    page = testapp.get("/inbox")
    first = page.html.select("#inbox > li")[0]
    form = next(f for f in page.forms.values() if f.action.endswith("/inbox/read"))
    assert form["notification_id"].value == first["id"].removeprefix("notification-")

    page = form.submit(status=303).follow()
    assert [("unread" in li["class"]) for li in page.html.select("#inbox > li")] == [
        False,
        True,
        True,
    ]
    page = page.forms["read-all-form"].submit(status=303).follow()
    assert "Marked 2 notifications read." in page.html.select_one(".flash").get_text()
    assert page.html.find(id="read-all-form") is None
    assert page.html.find(id="inbox-badge") is None


def test_nobody_marks_anothers_notifications(testapp, dbsession, crew, publishing):
    changes(dbsession, crew, publishing)
    login(testapp, crew.watcher.login)
    theirs = testapp.get("/inbox").html.select("#inbox > li")[0]["id"].removeprefix("notification-")
    login(testapp, crew.lead.login)

    token = csrf_token(testapp)
    testapp.post("/inbox/read", {"csrf_token": token, "notification_id": theirs}, status=303)
    login(testapp, crew.watcher.login)
    assert len(testapp.get("/inbox?unread=1").html.select("#inbox > li.unread")) == 2


def test_a_damaged_button_is_refused_with_words(testapp, crew):
    login(testapp, crew.watcher.login)
    token = csrf_token(testapp)
    page = testapp.post("/inbox/read", {"csrf_token": token, "notification_id": "x"}).follow()
    assert "came back damaged" in page.html.select_one(".flash.error").get_text()


def test_the_empty_inbox_says_what_will_come(testapp, crew):
    login(testapp, crew.lead.login)
    assert "Nothing here yet." in testapp.get("/inbox").html.find(id="inbox-empty").get_text()
    unread = testapp.get("/inbox?unread=1").html.find(id="inbox-empty").get_text()
    assert unread == "Nothing unread: you are up to date."


def test_the_top_bar_counts_the_unread_for_screen_readers_too(testapp, dbsession, crew, publishing):
    login(testapp, crew.watcher.login)
    assert testapp.get("/").html.find(id="inbox-badge") is None
    changes(dbsession, crew, publishing)

    badge = testapp.get("/").html.find(id="inbox-badge")
    assert badge.find(attrs={"aria-hidden": "true"}).get_text() == "2"
    assert badge.find(class_="visually-hidden").get_text() == ", 2 unread"
    link = testapp.get("/").html.find(id="inbox-link")
    assert link.get_text(" ", strip=True) == "Inbox 2 , 2 unread"


def test_the_inbox_and_its_badge_cost_the_same_queries_for_3_and_30_notices(
    testapp, dbsession, crew, publishing, queries_of
):
    login(testapp, crew.watcher.login)
    changes(dbsession, crew, publishing, count=3)
    few_inbox, few_home = queries_of(testapp, "/inbox"), queries_of(testapp, "/my/tasks")
    more_changes(dbsession, crew, 28)  # ends on hold, as three changes did

    assert queries_of(testapp, "/inbox") == few_inbox
    assert queries_of(testapp, "/my/tasks") == few_home
