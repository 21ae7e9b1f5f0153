"""The channel each person chose decides what they get: nothing, the inbox, an e-mail at once,
or a place in the daily digest; one click tells each person once per task."""

from datetime import timedelta

from sqlalchemy import select

from stalker_web.events import NoteAdded, publish
from stalker_web.models import Note, Notification, NotificationChannel, OutgoingMail
from stalker_web.services.workflow.reviews import approve, request_review
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.calendar import MONDAY


def notifications_of(dbsession, user) -> list[Notification]:
    return list(
        dbsession.scalars(
            select(Notification)
            .where(Notification.recipient_id == user.id)
            .order_by(Notification.id)
        )
    )


def mails_to(dbsession, user) -> list[OutgoingMail]:
    return list(
        dbsession.scalars(
            select(OutgoingMail)
            .where(OutgoingMail.recipient_id == user.id)
            .order_by(OutgoingMail.id)
        )
    )


def under_review(dbsession, crew, publishing):
    publishing(crew.artist)
    create_time_log(dbsession, crew.shot, crew.artist, MONDAY, MONDAY + timedelta(hours=1))
    return request_review(dbsession, crew.shot, crew.artist)


def test_a_review_request_is_mailed_to_the_reviewer_by_default(dbsession, crew, publishing):
    under_review(dbsession, crew, publishing)

    (notification,) = notifications_of(dbsession, crew.supervisor)
    assert notification.channel is NotificationChannel.EMAIL
    (mail,) = mails_to(dbsession, crew.supervisor)
    assert mail.to_address == crew.supervisor.email
    assert mail.subject == "[FLM] Ana Artist asked you to review FLM / Animation"
    assert mail.state.value == "queued" and mail.attempts == 0
    assert mail.message_id.startswith("<") and mail.message_id.endswith("@example.com>")
    assert "Hello Sam Supervisor," in mail.body
    assert "Ana Artist asked you to review FLM / Animation." in mail.body
    assert f"Open it: http://example.com/tasks/{crew.shot.id}" in mail.body
    assert "You are told because you are a reviewer." in mail.body
    assert "Your inbox: http://example.com/inbox" in mail.body
    assert "http://example.com/profile/notifications" in mail.body


def test_a_status_change_reaches_the_inbox_only_by_default(dbsession, crew, publishing):
    under_review(dbsession, crew, publishing)

    notifications = notifications_of(dbsession, crew.watcher)
    assert [n.activity.data["new"] for n in notifications] == ["WIP", "PREV"]
    assert {n.channel for n in notifications} == {NotificationChannel.INBOX}
    assert mails_to(dbsession, crew.watcher) == []


def test_off_tells_nothing_and_digest_mails_nothing_now(dbsession, crew, publishing, prefer):
    prefer(crew.supervisor, review_request="off", status="off")
    prefer(crew.watcher, status="digest")
    under_review(dbsession, crew, publishing)

    assert notifications_of(dbsession, crew.supervisor) == []
    waiting = notifications_of(dbsession, crew.watcher)
    assert {(n.channel, n.digested_at) for n in waiting} == {(NotificationChannel.DIGEST, None)}
    assert mails_to(dbsession, crew.watcher) == []


def test_email_for_status_changes_mails_each_one(dbsession, crew, publishing, prefer):
    prefer(crew.watcher, status="email")
    under_review(dbsession, crew, publishing)

    subjects = [mail.subject for mail in mails_to(dbsession, crew.watcher)]
    assert subjects == [
        "[FLM] Ana Artist moved FLM / Animation from Ready To Start to Work In Progress",
        "[FLM] Ana Artist moved FLM / Animation from Work In Progress to Pending Review",
    ]


def test_one_click_tells_each_person_once_the_most_specific_way(
    dbsession, crew, publishing, prefer
):
    prefer(crew.supervisor, status="email")  # the PREV mail is withdrawn for the request's
    (review,) = under_review(dbsession, crew, publishing)
    publishing(crew.supervisor)
    approve(dbsession, review)

    supervisor = notifications_of(dbsession, crew.supervisor)
    assert [n.activity.kind for n in supervisor] == ["review_requested"]
    (mail,) = mails_to(dbsession, crew.supervisor)
    assert "asked you to review" in mail.subject
    artist = notifications_of(dbsession, crew.artist)
    assert [n.activity.kind for n in artist] == ["review_answered"]
    watcher = notifications_of(dbsession, crew.watcher)
    assert [n.activity.data["new"] for n in watcher] == ["WIP", "PREV", "CMPL"]


def test_a_mention_is_mailed_even_to_someone_with_no_part_in_the_task(dbsession, crew, publishing):
    note = Note(project_id=crew.project.id, author_id=crew.artist.id, task_id=crew.shot.id)
    note.content = "@lee can you check the timing?"
    dbsession.add(note)
    dbsession.flush()
    publishing(crew.artist)
    publish(dbsession, NoteAdded(note.id, crew.project.id, crew.artist.id, (crew.lead.id,)))

    (notification,) = notifications_of(dbsession, crew.lead)
    assert (notification.reason, notification.channel) == ("mentioned", NotificationChannel.EMAIL)
    (mail,) = mails_to(dbsession, crew.lead)
    assert mail.subject == "[FLM] Ana Artist wrote a note on FLM / Animation"
    assert "“@lee can you check the timing?”" in mail.body
    assert "You are told because you were mentioned." in mail.body


def test_an_answer_said_with_a_mention_tells_both_with_the_words(dbsession, crew, publishing):
    (review,) = under_review(dbsession, crew, publishing)
    note = Note(project_id=crew.project.id, author_id=crew.supervisor.id, review_id=review.id)
    note.content = "@ana lovely arcs"
    dbsession.add(note)
    dbsession.flush()
    publishing(crew.supervisor)
    publish(dbsession, NoteAdded(note.id, crew.project.id, crew.supervisor.id, (crew.artist.id,)))
    approve(dbsession, review)

    told = notifications_of(dbsession, crew.artist)
    assert [(n.activity.kind, n.reason) for n in told] == [
        ("note_added", "mentioned"),
        ("review_answered", "resource"),
    ]
    mention, answer = mails_to(dbsession, crew.artist)
    assert answer.subject == "[FLM] Sam Supervisor approved FLM / Animation"
    assert "“@ana lovely arcs”" in answer.body and "“@ana lovely arcs”" in mention.body
