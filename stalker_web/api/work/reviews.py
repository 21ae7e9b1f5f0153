"""``/api/v1/tasks/{task_id}/reviews`` and ``/api/v1/reviews/{review_id}/...``: a task's review
rounds with each reviewer's answer, requesting a review, approving and requesting a revision,
through the workflow service (services/workflow/reviews.py) with the pages' rights; a
workflow refusal answers 422 with the service's words."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...models import Review, Task, Version
from ...models.schedule import TimeUnit
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.workflow import reviews as service
from ...services.workflow import rules
from ...views.workflow.action_permissions import ACTION_PERMISSIONS
from ..bodies import json_body, number, optional_id, query_number, refuse, text
from ..listing import FIELDS_PARAM, PAGE_PARAMS, cursor_page, page_schema
from ..operations import Param, api_view, ref
from ..schemas import DATE_TIME, ID, NULLABLE_ID, TEXT, schema, sparse
from .changes import CREATING, changed, created

REVIEW = schema(
    "Review",
    {
        "id": ID,
        "task_id": ID,
        "review_number": {"type": "integer", "minimum": 1, "description": "Its round."},
        "reviewer_id": ID,
        "reviewer_name": TEXT,
        "status": {"enum": ["NEW", "APP", "RREV"], "description": "Waiting, approved, revise."},
        "version_id": NULLABLE_ID,
        "description": TEXT,
        "schedule_timing": {"type": "number", "description": "Extra time a revision asks."},
        "schedule_unit": {"enum": [unit.value for unit in TimeUnit]},
        "is_open": {"type": "boolean", "description": "Its round still takes answers."},
        "date_created": DATE_TIME,
        "date_updated": DATE_TIME,
    },
)
ROUND = schema(
    "ReviewRound",
    {
        "task_id": ID,
        "task_status": {"type": "string", "description": "The task's status code after it."},
        "reviews": {"type": "array", "items": ref("Review")},
    },
)
ANSWER = schema(
    "ReviewAnswer",
    {"review": ref("Review"), "task_status": {"type": "string", "description": "PREV, CMPL..."}},
)
NOTE = {"type": "string", "maxLength": 10_000}


def review_json(review: Review) -> dict:
    """The API's form of ``review`` (its task and reviewer loaded)."""
    return {
        "id": review.id,
        "task_id": review.task_id,
        "review_number": review.review_number,
        "reviewer_id": review.reviewer_id,
        "reviewer_name": review.reviewer.name,
        "status": review.status.value,
        "version_id": review.reviewed_version_id,
        "description": review.description,
        "schedule_timing": review.schedule_timing,
        "schedule_unit": review.schedule_unit.value,
        "is_open": service.is_open(review),
        "date_created": review.date_created.isoformat(),
        "date_updated": review.date_updated.isoformat(),
    }


def reviews_json(reviews: list[Review]) -> list[dict]:
    return [review_json(review) for review in reviews]


@api_view(
    "api.tasks.reviews",
    "GET",
    Permissions.READ_TASK,
    summary="The review rounds of a task, each reviewer's answer",
    description="One item per reviewer and round (review_number), oldest first.",
    tag="reviews",
    response=page_schema(sparse(REVIEW)),
    query=(
        *PAGE_PARAMS,
        FIELDS_PARAM,
        Param("review_number", {"type": "integer", "minimum": 0}, "Only this round."),
    ),
)
def task_reviews(context, request) -> dict:
    statement = (
        select(Review)
        .where(Review.task_id == context.entity.id)
        .options(joinedload(Review.reviewer), joinedload(Review.task))
    )
    round_number = query_number(request, "review_number")
    if round_number is not None:
        statement = statement.where(Review.review_number == round_number)
    return cursor_page(request, request.dbsession, statement, Review.id, reviews_json, REVIEW)


def _version_to_review(request, task: Task, version_id: int | None) -> Version | None:
    if version_id is None:
        return None
    version = request.dbsession.get(Version, version_id)
    if version is None or version.task_id != task.id:
        raise ValidationError("Choose a version of this task to review.", "version_id")
    return version


@api_view(
    "api.tasks.reviews",
    "POST",
    ACTION_PERMISSIONS[rules.REQUEST_REVIEW],
    summary="Request a review of a task",
    description="WIP -> PREV; one review per responsible user, of version_id (default: the "
    "task's latest version), with the note saying what to look at.",
    tag="reviews",
    response=ROUND,
    **CREATING,
    body={
        "type": "object",
        "additionalProperties": False,
        "properties": {"note": NOTE, "version_id": NULLABLE_ID},
    },
)
def request_review(context, request) -> dict:
    task = context.entity
    body = json_body(request, ("note", "version_id"))
    note = text(body, "note")
    version = _version_to_review(request, task, optional_id(body, "version_id"))

    def create() -> dict:
        reviews = service.request_review(request.dbsession, task, request.user, version, note)
        return {
            "task_id": task.id,
            "task_status": task.status.code,
            "reviews": reviews_json(reviews),
        }

    return created(
        request, create, lambda item: request.route_url("api.tasks.reviews", task_id=task.id)
    )


ANSWERING = {
    "tag": "reviews",
    "response": ANSWER,
    "read_permission": Permissions.READ_TASK,
    "errors": (403, 409),
}


def _answered(request, answer) -> dict:
    """Run ``answer(review)`` in a savepoint; the review and its task's status after it."""
    review = request.context.entity
    changed(request, lambda: answer(review))
    return {"review": review_json(review), "task_status": review.task.status.code}


@api_view(
    "api.reviews.approve",
    "POST",
    Permissions.ANSWER_REVIEW,
    summary="Approve a review",
    description="With an optional note; the last answer of a round finalises it.",
    body={"type": "object", "additionalProperties": False, "properties": {"note": NOTE}},
    **ANSWERING,
)
def approve(context, request) -> dict:
    note = text(json_body(request, ("note",)), "note")
    return _answered(
        request,
        lambda review: service.approve(request.dbsession, review, note, author=request.user),
    )


@api_view(
    "api.reviews.request_revision",
    "POST",
    Permissions.ANSWER_REVIEW,
    summary="Request a revision",
    description="note says what needs to change; schedule_timing and schedule_unit the extra "
    "time it needs (default 1 h).",
    body={
        "type": "object",
        "additionalProperties": False,
        "required": ["note"],
        "properties": {
            "note": NOTE,
            "schedule_timing": {"type": "number", "minimum": 0, "default": 1},
            "schedule_unit": {"enum": [unit.value for unit in TimeUnit], "default": "h"},
        },
    },
    **ANSWERING,
)
def request_revision(context, request) -> dict:
    body = json_body(request, ("note", "schedule_timing", "schedule_unit"))
    note = text(body, "note")
    if not note.strip():
        raise refuse("note", "Say what needs to change.")
    timing = number(body, "schedule_timing", 1)
    unit = text(body, "schedule_unit", 8, TimeUnit.HOUR.value)
    if unit not in {member.value for member in TimeUnit}:
        raise refuse("schedule_unit", f"One of {', '.join(member.value for member in TimeUnit)}.")
    return _answered(
        request,
        lambda review: service.request_revision(
            request.dbsession, review, timing, TimeUnit(unit), note, author=request.user
        ),
    )
