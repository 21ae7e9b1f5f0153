"""Who is told of what: the people of the task, reviewers, resources, ticket owners and
reporters, the mentioned; never the person who acted, nobody outside the project."""

from datetime import timedelta

from sqlalchemy import select

from stalker_web.events import DailyClosed, NoteAdded, NoteEdited, TicketChanged, publish
from stalker_web.models import Daily, DailyVersion, Note, Notification
from stalker_web.services.workflow.reviews import approve, request_review
from stalker_web.services.workflow.statuses import task_status
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.calendar import MONDAY
from ...factories.projects import member
from ..activity.test_recording import ticket_of


def told(dbsession, kind: str | None = None) -> dict[str, str]:
    """Who was told (name -> reason), of the records of ``kind``."""
    notifications = dbsession.scalars(select(Notification).order_by(Notification.id))
    return {
        notification.recipient.name: notification.reason
        for notification in notifications
        if kind is None or notification.activity.kind == kind
    }


def wip(dbsession, crew):
    create_time_log(dbsession, crew.shot, crew.artist, MONDAY, MONDAY + timedelta(hours=1))


def test_a_status_change_tells_the_task_people_but_not_who_changed_it(dbsession, crew, publishing):
    publishing(crew.lead)
    wip(dbsession, crew)

    assert told(dbsession) == {
        "Ana Artist": "resource",
        "Sam Supervisor": "responsible",
        "Wes Watcher": "watcher",
    }


def test_the_actor_and_people_outside_the_project_are_never_told(dbsession, crew, publishing):
    publishing(crew.artist)
    wip(dbsession, crew)

    people = told(dbsession)
    assert "Ana Artist" not in people  # she acted
    assert "Otto Outsider" not in people  # he watches, but is no member


def test_inactive_people_are_not_told(dbsession, crew, publishing):
    crew.watcher.is_active = False
    publishing(crew.lead)
    wip(dbsession, crew)

    assert "Wes Watcher" not in told(dbsession)


def test_responsible_users_are_inherited_from_the_parent(dbsession, factory, crew, publishing):
    sequence = factory.task("Sequence", project=crew.project, responsible=[crew.lead])
    shot = factory.task(project=crew.project, parent=sequence, resources=[crew.artist])
    publishing(crew.artist)
    create_time_log(dbsession, shot, crew.artist, MONDAY, MONDAY + timedelta(hours=1))

    assert told(dbsession, "status_changed")["Lee Lead"] == "responsible"


def test_a_review_request_tells_the_reviewers_and_an_answer_the_resources(
    dbsession, crew, publishing
):
    publishing(crew.artist)
    wip(dbsession, crew)
    (review,) = request_review(dbsession, crew.shot, crew.artist)
    assert told(dbsession, "review_requested") == {"Sam Supervisor": "reviewer"}

    publishing(crew.supervisor)
    approve(dbsession, review)
    assert told(dbsession, "review_answered") == {"Ana Artist": "resource"}


def test_a_note_tells_the_task_people_and_always_the_mentioned(
    dbsession, factory, crew, publishing
):
    stranger = member(crew.project, factory.user(name="Mia Mentioned"))
    note = Note(project_id=crew.project.id, author_id=crew.lead.id, task_id=crew.shot.id)
    dbsession.add(note)
    dbsession.flush()
    publishing(crew.lead)
    publish(
        dbsession, NoteAdded(note.id, crew.project.id, crew.lead.id, (stranger.id, crew.watcher.id))
    )

    assert told(dbsession) == {
        "Mia Mentioned": "mentioned",
        "Wes Watcher": "mentioned",
        "Ana Artist": "resource",
        "Sam Supervisor": "responsible",
    }


def test_an_edit_tells_only_the_newly_mentioned(dbsession, crew, publishing):
    note = Note(project_id=crew.project.id, author_id=crew.lead.id, task_id=crew.shot.id)
    dbsession.add(note)
    dbsession.flush()
    publishing(crew.lead)
    publish(dbsession, NoteEdited(note.id, crew.project.id, crew.lead.id, (crew.artist.id,)))

    assert told(dbsession) == {"Ana Artist": "mentioned"}


def test_a_ticket_change_tells_its_owner_and_reporter(dbsession, crew, publishing):
    ticket = ticket_of(dbsession, crew)
    publishing(crew.supervisor)
    publish(dbsession, TicketChanged(ticket.id, crew.project.id, "accept", 1, "NEW", "ACP"))

    assert told(dbsession) == {"Lee Lead": "owner", "Ana Artist": "reporter"}


def test_a_note_on_a_ticket_tells_its_owner_and_reporter(dbsession, crew, publishing):
    ticket = ticket_of(dbsession, crew)
    note = Note(project_id=crew.project.id, author_id=crew.lead.id, ticket_id=ticket.id)
    dbsession.add(note)
    dbsession.flush()
    publishing(crew.lead)
    publish(dbsession, NoteAdded(note.id, crew.project.id, crew.lead.id, ()))

    assert told(dbsession) == {"Ana Artist": "reporter"}


def test_a_closed_daily_tells_the_people_of_the_tasks_it_showed(
    dbsession, factory, crew, publishing
):
    other = factory.task(project=crew.project, resources=[crew.lead])
    daily = Daily(name="Anim", project=crew.project, status=task_status(dbsession, "WIP"))
    for rank, task in enumerate([crew.shot, crew.shot, other]):
        daily.entries.append(DailyVersion(version=factory.version(task), rank=rank))
    dbsession.add(daily)
    dbsession.flush()
    publishing(crew.supervisor)
    publish(dbsession, DailyClosed(daily.id, crew.project.id))

    assert told(dbsession) == {
        "Ana Artist": "resource",
        "Lee Lead": "resource",
        "Wes Watcher": "watcher",
    }


def test_a_containers_change_tells_only_its_watchers(dbsession, factory, crew, publishing):
    sequence = factory.task(
        "Sequence", project=crew.project, responsible=[crew.lead], watchers=[crew.watcher]
    )
    shot = factory.task(project=crew.project, parent=sequence, resources=[crew.artist])
    publishing(crew.artist)
    create_time_log(dbsession, shot, crew.artist, MONDAY, MONDAY + timedelta(hours=1))

    told_of = {
        (n.recipient.name, n.activity.task_id) for n in dbsession.scalars(select(Notification))
    }
    assert told_of == {("Lee Lead", shot.id), ("Wes Watcher", sequence.id)}
