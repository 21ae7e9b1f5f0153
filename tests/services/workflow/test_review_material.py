"""Reviews that carry their material: the version asked about (the latest by default) and the
note a request came with, the notes (and annotated images) answers are given with, and what a
revision asked shows the artist."""

import io

import pytest
from sqlalchemy import select

from stalker_web.models import Note, Review, ReviewStatus
from stalker_web.services.checked_uploads import UploadRules
from stalker_web.services.errors import ValidationError
from stalker_web.services.notes.attachments import AttachmentStore, Upload, use_store
from stalker_web.services.workflow import reviews
from stalker_web.services.workflow.review_notes import review_notes

from ...matrix_objects import png_bytes


@pytest.fixture(name="task")
def task_fixture(factory, artist, supervisor, lead, log_hours):
    """A task at work, of the artist's, reviewed by the supervisor and the lead."""
    task = factory.task(name="Animation", resources=[artist], responsible=[supervisor, lead])
    log_hours(task)
    return task


@pytest.fixture(name="store")
def store_fixture(dbsession, studio_config, tmp_path):
    use_store(
        dbsession,
        AttachmentStore(str(tmp_path / "attachments"), UploadRules.from_config(studio_config)),
    )


def test_the_request_names_the_latest_version_by_default(dbsession, factory, task, artist):
    older, latest = factory.version(task), factory.version(task)
    made = reviews.request_review(dbsession, task, artist)
    assert {review.version for review in made} == {latest}
    assert older is not latest


def test_a_task_without_version_is_reviewed_without_one(dbsession, task, artist):
    made = reviews.request_review(dbsession, task, artist)
    assert {review.version for review in made} == {None}


def test_an_older_version_may_be_chosen_but_not_another_task_s(dbsession, factory, task, artist):
    older = factory.version(task)
    factory.version(task)
    made = reviews.request_review(dbsession, task, artist, older)
    assert {review.version for review in made} == {older}


def test_a_version_of_another_task_is_refused(dbsession, factory, task, artist):
    other = factory.version(factory.task(project=task.project))
    with pytest.raises(ValidationError, match="Choose a version of this task") as refused:
        reviews.request_review(dbsession, task, artist, other)
    assert refused.value.field == "version"
    assert task.status.code == "WIP"


def test_the_request_note_is_a_note_on_the_task_shared_by_the_round(dbsession, task, artist):
    made = reviews.request_review(dbsession, task, artist, note="Check the *jump* at frame 40.")
    [note] = dbsession.query(Note).filter_by(task_id=task.id).all()
    assert (note.content, note.author) == ("Check the *jump* at frame 40.", artist)
    assert {review.request_note_id for review in made} == {note.id}
    found = review_notes(dbsession, made)
    assert all(found.request_of(review).id == note.id for review in made)


def test_a_request_without_a_note_names_none(dbsession, task, artist):
    made = reviews.request_review(dbsession, task, artist, note="  ")
    assert {review.request_note_id for review in made} == {None}
    assert dbsession.query(Note).count() == 0


def test_an_answer_s_words_and_image_are_a_note_on_the_review(
    dbsession, task, artist, supervisor, lead, store
):
    mine, theirs = sorted(
        reviews.request_review(dbsession, task, artist), key=lambda r: r.reviewer.name
    )
    frame = Upload("marked.png", io.BytesIO(png_bytes()))
    reviews.approve(dbsession, theirs, "Good.", author=lead)
    reviews.request_revision(
        dbsession, mine, 2, "h", "Arcs, see the frame.", author=supervisor, attachments=[frame]
    )
    assert (mine.status, task.status.code) == (ReviewStatus.REVISION_REQUESTED, "HREV")
    found = review_notes(dbsession, [mine, theirs])
    [said] = found.answer_of(mine)
    assert (said.author_name, [file.filename for file in said.attachments]) == (
        "Supervisor",
        ["marked.png"],
    )
    assert "Arcs, see the frame." in said.html
    assert [note.author_name for note in found.answer_of(theirs)] == ["Lead"]


def test_an_answer_without_author_or_words_leaves_no_note(dbsession, task, artist, supervisor):
    made = reviews.request_review(dbsession, task, artist)
    mine = next(review for review in made if review.reviewer == supervisor)
    reviews.approve(dbsession, mine, author=supervisor)
    other = next(review for review in made if review is not mine)
    reviews.approve(dbsession, other, "Fine.")  # a script: no author, so no note
    assert dbsession.query(Note).count() == 0


def test_revisions_asked_are_those_of_the_last_finalised_round(
    dbsession, task, artist, supervisor, lead, log_hours
):
    first = reviews.request_review(dbsession, task, artist)
    for review in first:
        reviews.request_revision(dbsession, review, 1, "h", f"Round 1 from {review.reviewer.name}.")
    assert [r.description for r in reviews.revisions_asked(dbsession, [task.id])[task.id]] == [
        f"Round 1 from {review.reviewer.name}." for review in first
    ]
    log_hours(task)
    second = reviews.request_review(dbsession, task, artist)
    for review in second:
        reviews.approve(dbsession, review)
    assert reviews.revisions_asked(dbsession, [task.id]) == {task.id: []}


def test_review_notes_take_a_fixed_number_of_queries(
    dbsession, factory, artist, supervisor, lead, log_hours, count_queries
):
    def queries_for(number):
        made = []
        for index in range(number):
            task = factory.task(
                name=f"T{number}-{index}", resources=[artist], responsible=[supervisor]
            )
            log_hours(task)
            [review] = reviews.request_review(dbsession, task, artist, note="Look.")
            reviews.request_revision(dbsession, review, 1, "h", "Again.", author=supervisor)
            made.append(review)
        dbsession.expire_all()
        loaded = dbsession.scalars(select(Review).where(Review.id.in_([r.id for r in made]))).all()
        with count_queries() as counter:
            found = review_notes(dbsession, loaded)
        assert len(found.requests) == len(found.answers) == number
        return counter.count

    assert queries_for(2) == queries_for(6)
