"""Activity records in words for the person reading them, their names read together."""

from datetime import timedelta

from sqlalchemy import select

from stalker_web.events import DailyClosed, NoteAdded, ScheduleFinished, TicketChanged, publish
from stalker_web.models import Activity, Daily, Note
from stalker_web.services.activity.sentences import Target, people_words, sentences
from stalker_web.services.workflow.reviews import request_review, request_revision
from stalker_web.services.workflow.statuses import task_status
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.calendar import MONDAY
from .test_recording import log_an_hour, schedule_run, ticket_of


def worded(dbsession, viewer=None, **where) -> list[str]:
    found = list(dbsession.scalars(select(Activity).filter_by(**where).order_by(Activity.id)))
    return [sentence.text for sentence in sentences(dbsession, found, viewer and viewer.id)]


def test_a_status_change_names_the_task_by_its_path_and_the_statuses_by_name(
    dbsession, crew, publishing
):
    publishing(crew.artist)
    log_an_hour(dbsession, crew)

    assert worded(dbsession, kind="status_changed") == [
        "Ana Artist moved FLM / Animation from Ready To Start to Work In Progress"
    ]
    assert worded(dbsession, crew.artist, kind="status_changed") == [
        "You moved FLM / Animation from Ready To Start to Work In Progress"
    ]


def test_the_subject_links_to_the_task(dbsession, crew, publishing):
    publishing(crew.artist)
    log_an_hour(dbsession, crew)
    (record,) = dbsession.scalars(select(Activity).filter_by(kind="status_changed"))

    (sentence,) = sentences(dbsession, [record])
    assert (sentence.before, sentence.subject) == ("Ana Artist moved ", "FLM / Animation")
    assert sentence.target == Target("task", crew.shot.id)


def test_a_change_nobody_made_reads_as_it_happened(dbsession, crew, publishing):
    publishing(None)
    create_time_log(dbsession, crew.shot, crew.artist, MONDAY, MONDAY + timedelta(hours=1))

    assert worded(dbsession, kind="status_changed") == [
        "FLM / Animation moved from Ready To Start to Work In Progress"
    ]
    assert worded(dbsession, kind="time_logged") == [
        "Someone logged 1 h on FLM / Animation for Ana Artist"
    ]


def test_reviews_name_the_reviewers_the_version_and_what_to_change(
    dbsession, factory, crew, publishing
):
    publishing(crew.artist)
    log_an_hour(dbsession, crew)
    version = factory.version(crew.shot)
    (review,) = request_review(dbsession, crew.shot, crew.artist, version)
    publishing(crew.supervisor)
    request_revision(dbsession, review, 1, "h", "Fix the arm.")

    assert worded(dbsession, crew.supervisor, kind="review_requested") == [
        f"Ana Artist asked you to review FLM / Animation ({version.label})"
    ]
    (answer,) = sentences(
        dbsession, list(dbsession.scalars(select(Activity).filter_by(kind="review_answered")))
    )
    assert answer.text == f"Sam Supervisor asked for changes to FLM / Animation ({version.label})"
    assert answer.excerpt == "Fix the arm."


def test_notes_tickets_dailies_and_runs(dbsession, crew, publishing):
    publishing(crew.lead)
    note = Note(project_id=crew.project.id, author_id=crew.lead.id, content="Kick-off at ten")
    ticket = ticket_of(dbsession, crew, resolution="fixed")
    daily = Daily(name="Anim", project=crew.project, status=task_status(dbsession, "WIP"))
    dbsession.add_all([note, daily])
    dbsession.flush()
    run = schedule_run(dbsession, crew.lead)
    publish(dbsession, NoteAdded(note.id, crew.project.id, crew.lead.id, ()))
    publish(dbsession, TicketChanged(ticket.id, crew.project.id, "resolve", 1, "ACP", "CLS"))
    publish(dbsession, TicketChanged(ticket.id, crew.project.id, "reassign", 2, "ACP", "ASG"))
    publish(dbsession, DailyClosed(daily.id, crew.project.id))
    publish(dbsession, ScheduleFinished(run.id, "succeeded"))

    assert worded(dbsession, crew.lead) == [
        "You wrote a note on Film",
        "You resolved ticket #7 “Broken rig” as fixed",
        "You reassigned ticket #7 “Broken rig” to you",
        "You closed the daily “Anim”: 0 versions, 0 approved, 0 sent back",
        "The schedule of the whole studio was worked out again (as you asked)",
    ]
    targets = [s.target for s in sentences(dbsession, list(dbsession.scalars(select(Activity))))]
    assert targets == [
        Target("project", crew.project.id),
        Target("ticket", ticket.id),
        Target("ticket", ticket.id),
        Target("daily", daily.id),
        Target("schedule_run", run.id),
    ]


def test_people_are_listed_as_people_say_them():
    assert people_words([]) == ""
    assert people_words(["Ana"]) == "Ana"
    assert people_words(["Ana", "Bob", "Carl"]) == "Ana, Bob and Carl"


def mixed_records(dbsession, factory, crew, count: int) -> list[Activity]:
    """``count`` records of several kinds about as many tasks, by as many people."""
    kinds = [
        ("status_changed", {"old": "RTS", "new": "WIP"}),
        ("review_requested", {"round": 2, "reviewer_ids": [crew.supervisor.id]}),
        ("review_answered", {"outcome": "APP", "reviewer_id": crew.supervisor.id}),
        ("time_logged", {"seconds": 3600, "resource_id": crew.artist.id}),
    ]
    found = []
    for number in range(count):
        kind, data = kinds[number % len(kinds)]
        task = factory.task(project=crew.project, parent=crew.shot.parent)
        actor = factory.user()
        found.append(
            Activity(
                kind=kind, actor_id=actor.id, project_id=crew.project.id, task_id=task.id, data=data
            )
        )
    dbsession.add_all(found)
    dbsession.flush()
    return found


def test_the_names_of_fifty_records_cost_what_those_of_five_do(
    dbsession, factory, crew, count_queries
):
    def measure(count: int) -> int:
        ids = [record.id for record in mixed_records(dbsession, factory, crew, count)]
        dbsession.expire_all()
        with count_queries() as counter:
            found = list(dbsession.scalars(select(Activity).where(Activity.id.in_(ids))))
            texts = [sentence.text for sentence in sentences(dbsession, found)]
        assert len(texts) == count and all("Task" in text for text in texts)
        return counter.count

    few = measure(5)
    assert measure(50) == few <= 1 + 5
