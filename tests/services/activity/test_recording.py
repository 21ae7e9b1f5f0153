"""Each domain event writes its activity record, in the publishing transaction: who acted, what it
concerns and the plain values its sentence needs."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from stalker_web.events import (
    DailyClosed,
    NoteAdded,
    NoteEdited,
    ScheduleFinished,
    TicketChanged,
    publish,
    publishing_session,
)
from stalker_web.models import (
    Activity,
    Daily,
    DailyOutcome,
    DailyVersion,
    Note,
    ScheduleRun,
    Status,
    Ticket,
)
from stalker_web.models.schedule_run import RunStatus
from stalker_web.services.activity.recording import excerpt
from stalker_web.services.tasks.progress import studio_calendar
from stalker_web.services.transactions import savepoint
from stalker_web.services.versions.versions import set_published
from stalker_web.services.workflow import actions
from stalker_web.services.workflow.reviews import approve, request_review, request_revision
from stalker_web.services.workflow.statuses import task_status
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.calendar import MONDAY


def records(dbsession, **where) -> list[Activity]:
    statement = select(Activity).filter_by(**where).order_by(Activity.id)
    return list(dbsession.scalars(statement))


def log_an_hour(dbsession, crew):
    return create_time_log(dbsession, crew.shot, crew.artist, MONDAY, MONDAY + timedelta(hours=1))


def test_logging_time_records_the_status_change_and_the_log(dbsession, crew, publishing):
    publishing(crew.artist)
    log = log_an_hour(dbsession, crew)

    status, logged = records(dbsession, task_id=crew.shot.id)
    assert (status.kind, status.actor_id, status.project_id) == (
        "status_changed",
        crew.artist.id,
        crew.project.id,
    )
    assert status.data == {"old": "RTS", "new": "WIP"}
    assert logged.kind == "time_logged"
    assert logged.data == {"seconds": 3600.0, "resource_id": crew.artist.id}
    assert log.id is not None


def test_a_review_request_and_its_answer_name_the_round_reviewers_and_version(
    dbsession, factory, crew, publishing
):
    publishing(crew.artist)
    log_an_hour(dbsession, crew)
    version = factory.version(crew.shot)
    (review,) = request_review(dbsession, crew.shot, crew.artist, version)
    publishing(crew.supervisor)
    request_revision(dbsession, review, 2, "h", "The arm pops at frame 12.")

    asked = records(dbsession, kind="review_requested")[0]
    assert (asked.review_id, asked.about_version_id) == (review.id, version.id)
    assert asked.data["reviewer_ids"] == [crew.supervisor.id]
    assert asked.data["round"] == 1 and asked.data["version_label"] == version.label
    answered = records(dbsession, kind="review_answered")[0]
    assert answered.actor_id == crew.supervisor.id
    assert answered.data["outcome"] == "RREV"
    assert answered.data["excerpt"] == "The arm pops at frame 12."


def test_an_approval_keeps_no_words_of_the_request(dbsession, crew, publishing):
    publishing(crew.artist)
    log_an_hour(dbsession, crew)
    (review,) = request_review(dbsession, crew.shot, crew.artist)
    publishing(crew.supervisor)
    approve(dbsession, review)

    answered = records(dbsession, kind="review_answered")[0]
    assert answered.data["outcome"] == "APP" and answered.data["excerpt"] == ""


def test_an_answer_keeps_the_words_of_the_note_said_with_it(dbsession, crew, publishing):
    publishing(crew.artist)
    log_an_hour(dbsession, crew)
    (review,) = request_review(dbsession, crew.shot, crew.artist)
    note = add_note(dbsession, crew, crew.supervisor, "Lovely arcs.", review_id=review.id)
    publishing(crew.supervisor)
    approve(dbsession, review)

    answered = records(dbsession, kind="review_answered")[0]
    assert (answered.note_id, answered.data["excerpt"]) == (note.id, "Lovely arcs.")


def test_publishing_a_version_keeps_its_label(dbsession, factory, crew, publishing):
    version = factory.version(crew.shot)
    publishing(crew.artist)
    set_published(dbsession, version, True, submitted_version=version.version_id)

    (record,) = records(dbsession, kind="version_published")
    assert (record.task_id, record.about_version_id) == (crew.shot.id, version.id)
    assert record.data == {"version_label": version.label}


def schedule_run(dbsession, requested_by, project_ids=None):
    run = ScheduleRun(
        name="run",
        studio=studio_calendar(dbsession),
        requested_by=requested_by,
        project_ids=project_ids,
        status=RunStatus.SUCCEEDED,
    )
    dbsession.add(run)
    dbsession.flush()
    return run


def test_a_studio_run_is_one_studio_wide_record_by_whoever_asked(dbsession, crew, publishing):
    run = schedule_run(dbsession, crew.lead)
    publishing(None)  # the worker acts for nobody
    publish(dbsession, ScheduleFinished(run.id, "succeeded"))

    (record,) = records(dbsession, kind="schedule_finished")
    assert (record.project_id, record.actor_id) == (None, crew.lead.id)
    assert record.data == {"run_id": run.id, "status": "succeeded"}


def test_a_run_of_some_projects_is_one_record_each(dbsession, factory, crew, publishing):
    other = factory.project(code="OTH")
    run = schedule_run(dbsession, crew.lead, [crew.project.id, other.id])
    publishing(None)
    publish(dbsession, ScheduleFinished(run.id, "failed"))

    found = records(dbsession, kind="schedule_finished")
    assert [record.project_id for record in found] == [crew.project.id, other.id]
    assert found[0].data["projects"] == ["FLM", "OTH"]


def add_note(dbsession, crew, author, content="Looks *great*", **target):
    note = Note(project_id=crew.project.id, author_id=author.id, content=content, **target)
    dbsession.add(note)
    dbsession.flush()
    return note


@pytest.mark.parametrize("where", ["task", "version", "review", "project"])
def test_a_note_names_its_target_and_the_task_around_it(
    dbsession, factory, crew, publishing, where
):
    publishing(crew.artist)
    log_an_hour(dbsession, crew)
    version = factory.version(crew.shot)
    (review,) = request_review(dbsession, crew.shot, crew.artist, version)
    target = {
        "task": {"task_id": crew.shot.id},
        "version": {"noted_version_id": version.id},
        "review": {"review_id": review.id},
        "project": {},
    }[where]
    note = add_note(dbsession, crew, crew.lead, **target)
    publishing(crew.lead)
    publish(dbsession, NoteAdded(note.id, crew.project.id, crew.lead.id, ()))

    (record,) = records(dbsession, kind="note_added")
    assert (record.note_id, record.actor_id) == (note.id, crew.lead.id)
    assert record.task_id == (None if where == "project" else crew.shot.id)
    assert record.about_version_id == (version.id if where in ("version", "review") else None)
    assert record.review_id == (review.id if where == "review" else None)
    assert record.data["excerpt"] == "Looks great"  # as read: without the Markdown marks


def ticket_of(dbsession, crew, **values):
    status = dbsession.scalars(select(Status).where(Status.code == "NEW")).first()
    ticket = Ticket(
        name="Ticket #7",
        project=crew.project,
        number=7,
        summary="Broken rig",
        status=status,
        owner=crew.lead,
        reporter=crew.artist,
        **values,
    )
    dbsession.add(ticket)
    dbsession.flush()
    return ticket


def test_a_ticket_change_keeps_its_number_summary_and_action(dbsession, crew, publishing):
    ticket = ticket_of(dbsession, crew, resolution="fixed")
    publishing(crew.lead)
    publish(dbsession, TicketChanged(ticket.id, crew.project.id, "resolve", 1, "ACP", "CLS"))

    (record,) = records(dbsession, kind="ticket_changed")
    assert record.ticket_id == ticket.id
    assert record.data == {
        "action": "resolve",
        "number": 7,
        "summary": "Broken rig",
        "old_status": "ACP",
        "new_status": "CLS",
        "resolution": "fixed",
        "owner_id": crew.lead.id,
    }


def test_a_note_on_a_ticket_and_its_edit(dbsession, crew, publishing):
    ticket = ticket_of(dbsession, crew)
    note = add_note(dbsession, crew, crew.artist, ticket_id=ticket.id)
    publishing(crew.artist)
    publish(dbsession, NoteAdded(note.id, crew.project.id, crew.artist.id, ()))
    publish(dbsession, NoteEdited(note.id, crew.project.id, crew.artist.id, ()))

    added, edited = records(dbsession, ticket_id=ticket.id)
    assert (added.kind, edited.kind) == ("note_added", "note_edited")
    assert edited.data["number"] == 7 and edited.data["summary"] == "Broken rig"


def test_a_closed_daily_counts_its_answers(dbsession, factory, crew, publishing):
    daily = Daily(name="Anim dailies", project=crew.project, status=task_status(dbsession, "WIP"))
    outcomes = [DailyOutcome.APPROVED, DailyOutcome.REVISION, None]
    for rank, outcome in enumerate(outcomes):
        version = factory.version(crew.shot)
        daily.entries.append(DailyVersion(version=version, rank=rank, outcome=outcome))
    dbsession.add(daily)
    dbsession.flush()
    publishing(crew.lead)
    publish(dbsession, DailyClosed(daily.id, crew.project.id))

    (record,) = records(dbsession, kind="daily_closed")
    assert record.daily_id == daily.id
    assert record.data == {"daily": "Anim dailies", "versions": 3, "approved": 1, "revisions": 1}


def test_a_refused_change_leaves_no_record(dbsession, crew, publishing):
    publishing(crew.artist)
    log_an_hour(dbsession, crew)
    before = len(records(dbsession))
    with pytest.raises(RuntimeError), savepoint(dbsession):
        actions.hold(dbsession, crew.shot)
        assert len(records(dbsession)) == before + 1
        raise RuntimeError("refused after the change")

    assert len(records(dbsession)) == before


def test_sessions_without_subscribers_record_nothing(dbsession, crew):
    log_an_hour(dbsession, crew)
    assert records(dbsession) == []


def test_an_excerpt_keeps_the_first_words_on_one_line():
    assert excerpt("  Fix\n\nthe   arm ") == "Fix the arm"
    long = "word " * 100
    cut = excerpt(long, 30)
    assert cut.endswith("…") and len(cut) <= 30 and "  " not in cut


def test_an_excerpt_reads_markdown_as_words_and_keeps_no_markup():
    assert excerpt("Hold **four frames** & [see](https://e.com) `<b>`") == (
        "Hold four frames & see <b>"
    )


def test_only_a_subscriber_may_ask_for_the_publishing_session():
    with pytest.raises(RuntimeError, match="only available to a subscriber"):
        publishing_session()
