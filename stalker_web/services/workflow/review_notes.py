"""The notes reviews carry: the note a request came with (what to look at, shared by the reviews
of its round) and the notes an answer was given with (what to change, an annotated image), for
any number of reviews in a fixed number of queries. The task page's review history, the review
inbox and My tasks read them here."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from ...models import Note, Review
from ..notes.notes import NoteView, note_views


@dataclass(frozen=True)
class ReviewNotes:
    """The request notes by note id and the answer notes by review id."""

    requests: dict[int, NoteView] = field(default_factory=dict)
    answers: dict[int, list[NoteView]] = field(default_factory=dict)

    def request_of(self, review: Review) -> NoteView | None:
        """The note ``review``'s request came with, if any."""
        return self.requests.get(review.request_note_id)

    def answer_of(self, review: Review) -> list[NoteView]:
        """The notes ``review`` was answered with, oldest first."""
        return self.answers.get(review.id, [])


def review_notes(dbsession: Session, reviews: Iterable[Review]) -> ReviewNotes:
    """The request and answer notes of ``reviews``: a fixed number of queries (none without
    reviews)."""
    reviews = list(reviews)
    request_ids = {review.request_note_id for review in reviews} - {None}
    review_ids = {review.id for review in reviews}
    if not reviews:
        return ReviewNotes()
    notes = list(
        dbsession.scalars(
            select(Note)
            .where(or_(Note.id.in_(request_ids), Note.review_id.in_(review_ids)))
            .options(joinedload(Note.author))
            .order_by(Note.id)
        )
    )
    found = ReviewNotes()
    for note, view in zip(notes, note_views(dbsession, notes), strict=True):
        if note.id in request_ids:
            found.requests[note.id] = view
        if note.review_id is not None:
            found.answers.setdefault(note.review_id, []).append(view)
    return found
