"""``/api/v1/tasks/{task_id}/time-logs`` and ``/api/v1/time-logs/{time_log_id}``: a task's
time logs, logging the caller's time, moving or deleting a log, with the pages' rules and
rights (services/workflow/time_logs.py: overlaps, task status, dependencies, locked weeks)."""

from sqlalchemy import select

from ...models import TimeLog
from ...permissions import Permissions
from ...services.workflow import rules
from ...services.workflow import time_logs as service
from ...views.common import readable_projects
from ...views.workflow.action_permissions import ACTION_PERMISSIONS
from ..bodies import json_body, moment, refuse, text
from ..concurrency import matched_version, with_etag
from ..errors import ApiError
from ..listing import FIELDS_PARAM, PAGE_PARAMS, cursor_page, page_schema
from ..operations import api_view
from ..schemas import DATE_TIME, ID, TEXT, schema, sparse
from .changes import CREATING, changed, created

TIME_LOG = schema(
    "TimeLog",
    {
        "id": ID,
        "task_id": ID,
        "resource_id": ID,
        "start": DATE_TIME,
        "end": DATE_TIME,
        "description": TEXT,
        "date_created": DATE_TIME,
    },
)
FIELDS = ("start", "end", "description")
BODY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"start": DATE_TIME, "end": DATE_TIME, "description": TEXT},
}
CHANGE_ERRORS = (403, 409, 412, 428)


def time_log_json(time_log: TimeLog) -> dict:
    return {
        "id": time_log.id,
        "task_id": time_log.task_id,
        "resource_id": time_log.resource_id,
        "start": time_log.start.isoformat(),
        "end": time_log.end.isoformat(),
        "description": time_log.description,
        "date_created": time_log.date_created.isoformat(),
    }


def time_logs_json(time_logs: list[TimeLog]) -> list[dict]:
    return [time_log_json(time_log) for time_log in time_logs]


@api_view(
    "api.tasks.time_logs",
    "GET",
    Permissions.READ_TASK,
    summary="The time logged on a task",
    tag="time logs",
    response=page_schema(sparse(TIME_LOG)),
    query=(*PAGE_PARAMS, FIELDS_PARAM),
)
def task_time_logs(context, request) -> dict:
    statement = select(TimeLog).where(TimeLog.task_id == context.entity.id)
    return cursor_page(request, request.dbsession, statement, TimeLog.id, time_logs_json, TIME_LOG)


@api_view(
    "api.tasks.time_logs",
    "POST",
    ACTION_PERMISSIONS[rules.LOG_TIME],
    summary="Log the caller's time on a task",
    description="start and end in ISO 8601 with their offset; refused (422, with the reason) "
    "when it overlaps another log of the caller's, the task cannot take time, a dependency "
    "has not ended or the week is locked.",
    tag="time logs",
    response=TIME_LOG,
    **CREATING,
    body={**BODY, "required": ["start", "end"]},
)
def log_time(context, request) -> dict:
    task = context.entity
    body = json_body(request, FIELDS)
    start, end = _required_moment(body, "start"), _required_moment(body, "end")
    description = text(body, "description")

    def create() -> dict:
        time_log = service.create_time_log(
            request.dbsession,
            task,
            request.user,
            start,
            end,
            description,
            readable=readable_projects(request),
        )
        return time_log_json(time_log)

    return created(
        request,
        create,
        lambda item: request.route_url("api.time_logs.view", time_log_id=item["id"]),
    )


def _required_moment(body: dict, field: str):
    value = moment(body, field)
    if value is None:
        raise refuse(field, "Required.")
    return value


@api_view(
    "api.time_logs.view",
    "GET",
    Permissions.READ_TASK,
    summary="A time log",
    tag="time logs",
    response=TIME_LOG,
)
def time_log(context, request) -> dict:
    with_etag(request, context.entity)
    return time_log_json(context.entity)


@api_view(
    "api.time_logs.view",
    "PATCH",
    Permissions.UPDATE_TIME_LOG,
    summary="Move a time log or change its description",
    description="Send what changes (start, end, description); every rule is checked again.",
    tag="time logs",
    response=TIME_LOG,
    headers=("If-Match",),
    read_permission=Permissions.READ_TASK,
    errors=CHANGE_ERRORS,
    body=BODY,
)
def change_time_log(context, request) -> dict:
    time_log = context.entity
    submitted = matched_version(request, time_log)
    body = json_body(request, FIELDS)
    if not body:
        raise ApiError(422, "Send what changes: start, end or description.")
    start = moment(body, "start") or time_log.start
    end = moment(body, "end") or time_log.end
    description = text(body, "description", default=None) if "description" in body else None
    changed(
        request,
        lambda: service.update_time_log(
            request.dbsession,
            time_log,
            start=start,
            end=end,
            description=description,
            submitted_version=submitted,
            readable=readable_projects(request),
        ),
    )
    with_etag(request, time_log)
    return time_log_json(time_log)


@api_view(
    "api.time_logs.view",
    "DELETE",
    Permissions.DELETE_TIME_LOG,
    summary="Delete a time log",
    tag="time logs",
    response=None,
    status=204,
    headers=("If-Match",),
    read_permission=Permissions.READ_TASK,
    errors=CHANGE_ERRORS,
)
def delete_time_log(context, request):
    time_log = context.entity
    submitted = matched_version(request, time_log)
    changed(
        request,
        lambda: service.delete_time_log(request.dbsession, time_log, submitted_version=submitted),
    )
    response = request.response
    response.status_int = 204
    del response.content_type  # no body
    return response
