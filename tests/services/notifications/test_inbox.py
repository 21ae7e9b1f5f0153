"""A person's inbox: newest first with each record in words, the unread count, marking read."""

from datetime import timedelta

from stalker_web.services.notifications.inbox import (
    inbox_page,
    mark_all_read,
    mark_read,
    unread_count,
)
from stalker_web.services.workflow import actions
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.calendar import MONDAY


def watched_changes(dbsession, crew, publishing) -> None:
    """Two status changes of the shot the watcher is told of (WIP, then on hold)."""
    publishing(crew.artist)
    create_time_log(dbsession, crew.shot, crew.artist, MONDAY, MONDAY + timedelta(hours=1))
    actions.hold(dbsession, crew.shot)


def test_the_inbox_lists_the_newest_first_in_words(dbsession, crew, publishing):
    watched_changes(dbsession, crew, publishing)

    page = inbox_page(dbsession, crew.watcher)
    assert [item.sentence.text for item in page.items] == [
        "Ana Artist moved FLM / Animation from Work In Progress to On Hold",
        "Ana Artist moved FLM / Animation from Ready To Start to Work In Progress",
    ]
    assert {item.reason for item in page.items} == {"you watch it"}
    assert not any(item.read for item in page.items)
    assert (page.newer, page.older) == (None, None)


def test_marking_read_counts_down_and_touches_only_ones_own(dbsession, crew, publishing):
    watched_changes(dbsession, crew, publishing)
    newest, oldest = inbox_page(dbsession, crew.watcher).items
    assert unread_count(dbsession, crew.watcher.id) == 2

    assert mark_read(dbsession, crew.supervisor, [newest.notification_id]) == 0
    assert mark_read(dbsession, crew.watcher, [newest.notification_id]) == 1
    assert unread_count(dbsession, crew.watcher.id) == 1
    assert [item.read for item in inbox_page(dbsession, crew.watcher).items] == [True, False]
    unread = inbox_page(dbsession, crew.watcher, unread_only=True).items
    assert [item.notification_id for item in unread] == [oldest.notification_id]

    assert mark_all_read(dbsession, crew.watcher) == 1
    assert unread_count(dbsession, crew.watcher.id) == 0
    assert unread_count(dbsession, crew.supervisor.id) == 2


def test_pages_go_back_in_time_and_forward_again(dbsession, crew, publishing):
    watched_changes(dbsession, crew, publishing)
    actions.resume(dbsession, crew.shot)  # a third change

    first = inbox_page(dbsession, crew.watcher, per_page=2)
    assert len(first.items) == 2 and first.newer is None and first.older is not None
    second = inbox_page(dbsession, crew.watcher, per_page=2, before=first.older)
    assert len(second.items) == 1 and second.older is None
    assert second.newer == second.items[0].notification_id
    back = inbox_page(dbsession, crew.watcher, per_page=2, after=second.newer)
    assert [i.notification_id for i in back.items] == [i.notification_id for i in first.items]
    assert back.newer is None
