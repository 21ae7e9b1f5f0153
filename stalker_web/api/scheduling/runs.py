"""``/api/v1/schedule/runs``: start a TaskJuggler run (202: the worker carries it out once the
request has committed) and read runs as the pages let the caller: holders of the studio-wide
List_ScheduleRun or Create_ScheduleRun read every run of the live plan, a project's managers
the runs of projects they manage (``ScheduleRunResource``). Scenario runs are their scenario's.

A run is started for the whole studio with the studio-wide Create_ScheduleRun (as
``schedule.start``), or for one ``project_id`` by whoever may schedule that project (its
managers, as ``projects.schedule``). One run is active at a time: while one is, a start is
refused (409), naming the active run when the caller may read it. When the worker's queue cannot
be reached once the run is committed, the run is marked failed and the answer becomes a 503
saying so (the after-commit hand-over rewrites it), never a 202 for a run that will not happen.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Project, ScheduleRun
from ...permissions import Permissions
from ...queue import queue_schedule_run
from ...resources import ProjectResource, ScheduleRunResource, StudioRoot
from ...services.scheduling.history import message_counts, runs_within
from ..bodies import json_body, optional_id, refuse
from ..errors import ApiError, error_body
from ..idempotency import forget_answer, idempotent
from ..listing import FIELDS_PARAM, PAGE_PARAMS, cursor_page, page_schema
from ..operations import api_view
from ..schemas import DATE_TIME, ID, NULLABLE_DATE_TIME, NULLABLE_ID, TEXT, schema, sparse

NULLABLE_NUMBER = {"type": ["number", "null"]}
# How long a caller is asked to wait before asking again when the queue cannot be reached.
NOT_QUEUED_RETRY_AFTER_SECONDS = 30
RUN = schema(
    "ScheduleRun",
    {
        "id": ID,
        "name": TEXT,
        "status": {"enum": ["queued", "running", "succeeded", "failed", "timed_out"]},
        "phase": {"enum": ["queued", "reading", "scheduling", "writing", "done"]},
        "project_ids": {
            "type": ["array", "null"],
            "items": ID,
            "description": "The projects scheduled (null: the whole studio).",
        },
        "requested_by_id": NULLABLE_ID,
        "requested_at": DATE_TIME,
        "started_at": NULLABLE_DATE_TIME,
        "finished_at": NULLABLE_DATE_TIME,
        "duration_seconds": NULLABLE_NUMBER,
        "task_count": {"type": "integer", "description": "Tasks that got computed dates."},
        "message_count": {"type": "integer"},
        "error_count": {"type": "integer"},
        "warning_count": {"type": "integer"},
        "error": {"type": ["string", "null"], "description": "Why the run failed."},
    },
)
START_BODY = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "project_id": {
            "type": ["integer", "null"],
            "minimum": 1,
            "description": "Schedule this project only (absent: the whole studio).",
        }
    },
}


def _moment(value) -> str | None:
    return value.isoformat() if value is not None else None


def runs_json(dbsession: Session, runs: list[ScheduleRun]) -> list[dict]:
    """``runs`` as API items (their message counts in one query)."""
    counts = message_counts(dbsession, [run.id for run in runs])
    return [
        {
            "id": run.id,
            "name": run.name,
            "status": str(run.status),
            "phase": str(run.phase),
            "project_ids": run.project_ids,
            "requested_by_id": run.requested_by_id,
            "requested_at": run.date_created.isoformat(),
            "started_at": _moment(run.started_at),
            "finished_at": _moment(run.finished_at),
            "duration_seconds": run.duration_seconds,
            "task_count": run.task_count,
            "message_count": sum(counts[run.id].values()),
            "error_count": counts[run.id]["error"] + counts[run.id]["fatal"],
            "warning_count": counts[run.id]["warning"],
            "error": run.error or None,
        }
        for run in runs
    ]


def _managed_project_ids(user) -> set[int]:
    return {
        membership.project_id
        for membership in user.project_memberships
        if membership.role is not None and membership.role.manages_project
    }


@api_view(
    "api.schedule.runs",
    "GET",
    Permissions.VIEW,
    summary="The schedule runs the caller may read",
    description="Runs of the live plan, oldest first: every one for holders of the studio-wide "
    "List_ScheduleRun or Create_ScheduleRun, else those of the projects the caller manages.",
    tag="scheduling",
    response=page_schema(sparse(RUN)),
    query=(*PAGE_PARAMS, FIELDS_PARAM),
    errors=(400, 401, 429),
)
def schedule_runs(context, request) -> dict:
    dbsession = request.dbsession
    statement = select(ScheduleRun).where(ScheduleRun.scenario_id.is_(None))
    if not (
        request.studio_permits(Permissions.LIST_SCHEDULE_RUNS)
        or request.studio_permits(Permissions.CREATE_SCHEDULE_RUN)
    ):
        statement = statement.where(runs_within(dbsession, _managed_project_ids(request.user)))
    return cursor_page(
        request, dbsession, statement, ScheduleRun.id, lambda rows: runs_json(dbsession, rows), RUN
    )


def _may_start(request, project_id: int | None) -> None:
    """Refuse a start the caller may not make: the studio's needs the studio-wide right, a
    project's the right on it (422 for a project they may not see, as if it did not exist)."""
    if project_id is None:
        if not request.studio_permits(Permissions.CREATE_SCHEDULE_RUN):
            raise ApiError(403, "Scheduling the whole studio takes the right Create_ScheduleRun.")
        return
    project = request.dbsession.get(Project, project_id)
    resource = ProjectResource(project, StudioRoot(request)) if project is not None else None
    if resource is None or not request.has_permission(Permissions.READ_PROJECT, resource):
        raise refuse("project_id", "No project with this id, or you may not see it.")
    if not request.has_permission(Permissions.CREATE_SCHEDULE_RUN, resource):
        raise ApiError(403, f"Only the managers of {project.name} may schedule it.")


def _already_active(request, run: ScheduleRun) -> ApiError:
    """The refusal of a start while ``run`` is active, naming it when the caller may read it."""
    message = "Another schedule run is active; only one runs at a time, so none was started."
    if request.has_permission(Permissions.LIST_SCHEDULE_RUNS, ScheduleRunResource(run, request)):
        message += f" It is run {run.id}."
    return ApiError(409, message, "run_active")


def _answer_not_queued(user_id: int):
    """What turns the 202 answer, built before the commit, into a 503 when the run could not
    be handed to the worker and was marked failed (``queue.enqueue_after_commit``). The
    Idempotency-Key answer of ``user_id`` (read now: after the commit the user is detached) is
    forgotten, so the retry a client makes on a 503 asks for a new run."""

    def answer(request, run_id: int, reason: str) -> None:
        forget_answer(request.registry["dbsession_factory"], user_id, request)
        response = request.response
        response.status_int = 503
        response.headers.pop("Location", None)
        response.headers["Retry-After"] = str(NOT_QUEUED_RETRY_AFTER_SECONDS)
        response.headers["Cache-Control"] = "no-store"
        response.json_body = error_body(
            "queue_unavailable",
            f"Schedule run {run_id} could not start: the scheduling worker's queue cannot be "
            f"reached ({reason}), so the run was marked failed and the schedule is unchanged. "
            "Ask again later, or tell an administrator.",
        )

    return answer


@api_view(
    "api.schedule.runs",
    "POST",
    Permissions.VIEW,
    summary="Start a schedule run",
    description="The whole studio (studio-wide Create_ScheduleRun), or one project_id (its "
    "managers). 202: queued for the worker; follow it at its Location. 409 while another run "
    "is active. 503 when the worker's queue cannot be reached: the run was marked failed.",
    tag="scheduling",
    response=RUN,
    status=202,
    body=START_BODY,
    headers=("Idempotency-Key",),
    errors=(400, 401, 403, 409, 422, 429, 503),
)
def start_schedule_run(context, request) -> dict:
    body = json_body(request, ("project_id",))
    project_id = optional_id(body, "project_id")
    _may_start(request, project_id)

    def start() -> dict:
        project_ids = [project_id] if project_id is not None else None
        run, created = queue_schedule_run(request, project_ids, _answer_not_queued(request.user.id))
        if not created:
            raise _already_active(request, run)
        request.response.status_int = 202
        request.response.headers["Location"] = request.route_url("api.schedule.run", run_id=run.id)
        return runs_json(request.dbsession, [run])[0]

    return idempotent(request, start)


@api_view(
    "api.schedule.run",
    "GET",
    Permissions.LIST_SCHEDULE_RUNS,
    summary="A schedule run: where it stands, or how it ended",
    tag="scheduling",
    response=RUN,
)
def schedule_run(context, request) -> dict:
    request.response.cache_control = "no-store"
    return runs_json(request.dbsession, [context.entity])[0]
