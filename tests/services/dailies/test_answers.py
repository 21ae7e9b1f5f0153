"""Answering a version in a daily drives the review workflow: approving answers the user's
review, a revision answers it or sends the task back, and every refusal says why."""

import io

import pytest

from stalker_web.events import ReviewAnswered, dispatch_to
from stalker_web.models import DailyOutcome, Note, Review, ReviewStatus
from stalker_web.services.dailies.answers import answer_version
from stalker_web.services.dailies.dailies import close_daily, create_daily
from stalker_web.services.dailies.entries import add_version
from stalker_web.services.errors import ValidationError
from stalker_web.services.notes.attachments import Upload
from stalker_web.services.workflow.reviews import request_review

from ...matrix_objects import png_bytes

PATH = "FLM / SQ010 / SH010 / Animation"


@pytest.fixture(name="animation")
def animation_fixture(shots):
    return shots["SH010"]["Animation"]


@pytest.fixture(name="entry")
def entry_fixture(dbsession, factory, film, animation):
    """Animation's first version, at place 1 of an open daily."""
    daily = create_daily(dbsession, film, "Dailies")
    return add_version(dbsession, daily, factory.version(animation, published=True))


def notes_on(dbsession, version):
    return dbsession.query(Note).filter_by(noted_version_id=version.id).all()


def test_approving_answers_the_user_s_review(
    dbsession, entry, animation, start, artist, supervisor
):
    start(animation)
    [review] = request_review(dbsession, animation, artist)
    published = []
    dispatch_to(dbsession, published.append)
    answer_version(dbsession, entry, supervisor, DailyOutcome.APPROVED, "Lovely arcs.")
    assert (review.status, animation.status.code) == (ReviewStatus.APPROVED, "CMPL")
    assert review.description == "Lovely arcs."
    assert [type(event) for event in published if isinstance(event, ReviewAnswered)] == [
        ReviewAnswered
    ]
    [note] = notes_on(dbsession, entry.version)
    assert (note.content, note.author) == ("Lovely arcs.", supervisor)
    assert (entry.outcome, entry.note_id, entry.answered_by) == (
        DailyOutcome.APPROVED,
        note.id,
        supervisor,
    )
    assert entry.answered_at is not None


def test_an_approval_without_a_note_keeps_none(
    dbsession, entry, animation, start, artist, supervisor
):
    start(animation)
    request_review(dbsession, animation, artist)
    answer_version(dbsession, entry, supervisor, DailyOutcome.APPROVED)
    assert (entry.outcome, entry.note_id) == (DailyOutcome.APPROVED, None)
    assert notes_on(dbsession, entry.version) == []


def test_there_is_nothing_to_approve_without_a_review(dbsession, entry, animation, start, lead):
    start(animation)
    message = (
        f"Nobody asked for a review of {PATH}, so there is nothing to approve; it is Work In "
        "Progress."
    )
    with pytest.raises(ValidationError, match=message):
        answer_version(dbsession, entry, lead, DailyOutcome.APPROVED, "Fine.")
    assert (entry.outcome, animation.status.code) == (None, "WIP")


def test_a_review_waiting_for_someone_else_is_not_approved(
    dbsession, entry, animation, start, artist, lead
):
    start(animation)
    request_review(dbsession, animation, artist)
    message = f"The review of {PATH} waits for Supervisor, not for you"
    with pytest.raises(ValidationError, match=message):
        answer_version(dbsession, entry, lead, DailyOutcome.APPROVED)
    assert animation.status.code == "PREV"


def test_a_revision_answers_the_review_with_the_extra_time_and_the_image(
    dbsession, entry, animation, start, artist, supervisor, attachments_folder
):
    start(animation)
    [review] = request_review(dbsession, animation, artist)
    frame = Upload("marked.png", io.BytesIO(png_bytes()))
    answer_version(
        dbsession,
        entry,
        supervisor,
        DailyOutcome.REVISION,
        "Smoother **arcs**.",
        schedule_timing=3,
        schedule_unit="h",
        attachments=[frame],
    )
    assert (review.status, review.schedule_timing) == (ReviewStatus.REVISION_REQUESTED, 3)
    assert animation.status.code == "HREV"
    [note] = notes_on(dbsession, entry.version)
    assert [file.original_filename for file in note.attachments] == ["marked.png"]
    assert (entry.outcome, entry.note_id) == (DailyOutcome.REVISION, note.id)


def test_a_revision_without_the_user_s_review_sends_the_task_back(
    dbsession, entry, animation, start, artist, lead
):
    start(animation)
    request_review(dbsession, animation, artist)
    answer_version(dbsession, entry, lead, DailyOutcome.REVISION, "Too fast.")
    assert animation.status.code == "HREV"
    # The supervisor's waiting review was dropped; the lead's revision closed the round.
    reviews = dbsession.query(Review).filter_by(task_id=animation.id).all()
    assert [(review.reviewer, review.status) for review in reviews] == [
        (lead, ReviewStatus.REVISION_REQUESTED)
    ]
    assert entry.outcome is DailyOutcome.REVISION


def test_a_revision_of_a_task_at_work_is_refused(dbsession, entry, animation, start, supervisor):
    start(animation)
    message = (
        f"{PATH} cannot be sent back: A revision can only be requested for a task that is "
        "Pending Review or Completed; this one is Work In Progress."
    )
    with pytest.raises(ValidationError, match=message):
        answer_version(dbsession, entry, supervisor, DailyOutcome.REVISION, "Faster.")
    assert entry.outcome is None


def test_a_revision_says_what_to_change(dbsession, entry, animation, start, artist, supervisor):
    start(animation)
    request_review(dbsession, animation, artist)
    with pytest.raises(ValidationError, match="Say what needs to change.") as refused:
        answer_version(dbsession, entry, supervisor, DailyOutcome.REVISION, "  ")
    assert refused.value.field == "description"
    assert animation.status.code == "PREV"


def test_a_closed_daily_takes_no_answer(dbsession, entry, animation, start, artist, supervisor):
    start(animation)
    request_review(dbsession, animation, artist)
    close_daily(dbsession, entry.daily)
    with pytest.raises(ValidationError, match="Dailies is closed, so you cannot answer"):
        answer_version(dbsession, entry, supervisor, DailyOutcome.APPROVED)
    assert animation.status.code == "PREV"
