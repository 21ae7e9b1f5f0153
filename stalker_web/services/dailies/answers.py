"""Answering a version in a daily, through the same review workflow as the review inbox.

Approving answers the acting user's review of the task in its open round; there is nothing to
approve without one. Asking for a revision answers that review too, or else sends the task back
outright (``task_request_revision``) when its status allows it. Every refusal says why, naming
the task and its status. The answer is kept on the daily's version: the outcome, who gave it and
when, and the note said with it (a note on the version, with any annotated image).
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from ...models import DailyOutcome, DailyVersion, User
from ..errors import ValidationError
from ..notes.attachments import Upload
from ..notes.notes import add_note
from ..tasks.paths import task_path
from ..workflow import actions as workflow
from ..workflow import reviews, rules
from .dailies import lock, refuse_closed


def _names(users: list[User]) -> str:
    names = [user.name for user in users]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _nothing_to_approve(dbsession: Session, entry: DailyVersion) -> ValidationError:
    task = entry.version.task
    path = task_path(dbsession, task)
    waiting = reviews.waiting_reviewers(dbsession, task)
    if waiting:
        return ValidationError(
            f"The review of {path} waits for {_names(waiting)}, not for you, so there is "
            "nothing for you to approve; ask for a revision instead if it must change."
        )
    return ValidationError(
        f"Nobody asked for a review of {path}, so there is nothing to approve; it is "
        f"{task.status.name}."
    )


def answer_version(
    dbsession: Session,
    entry: DailyVersion,
    user: User,
    outcome: DailyOutcome,
    note: str = "",
    *,
    schedule_timing=1,
    schedule_unit="h",
    attachments: Sequence[Upload] = (),
) -> DailyVersion:
    """``user`` approves ``entry``'s version or asks for a revision (``note`` says what to
    change; ``schedule_timing`` ``schedule_unit`` more time), through the review workflow; the
    answer is recorded on ``entry``."""
    daily = entry.daily
    lock(dbsession, daily)
    refuse_closed(daily, "answer its versions")
    version = entry.version
    task = version.task
    note = (note or "").strip()
    review = reviews.open_review(dbsession, task, user)
    if outcome is DailyOutcome.APPROVED:
        if review is None:
            raise _nothing_to_approve(dbsession, entry)
        reviews.approve(dbsession, review, note)
    else:
        if not note:
            raise ValidationError("Say what needs to change.", "description")
        if review is not None:
            reviews.request_revision(dbsession, review, schedule_timing, schedule_unit, note)
        elif rules.allowed(rules.REQUEST_REVISION, task.status.code):
            reviews.task_request_revision(
                dbsession, task, user, note, schedule_timing, schedule_unit
            )
        else:
            raise ValidationError(
                f"{task_path(dbsession, task)} cannot be sent back: "
                f"{workflow.why_not(task.status, rules.REQUEST_REVISION)}"
            )
    said = None
    if note or attachments:
        said = add_note(
            dbsession, user, daily.project, note, version=version, attachments=attachments
        )
    entry.outcome = outcome
    entry.note_id = said.id if said is not None else None
    entry.answered_by = user
    entry.answered_at = datetime.now(UTC)
    dbsession.flush()
    return entry
