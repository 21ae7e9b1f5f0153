"""``/api/v1/projects/{id}/assets``, ``/sequences`` and ``/shots``: a project's breakdown, the
task list restricted to one kind of task (shots with their cut and sequence)."""

from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...models import Asset, Sequence, Shot
from ...permissions import Permissions
from ..listing import FIELDS_PARAM, PAGE_PARAMS, cursor_page, page_schema
from ..operations import api_view
from ..schemas import sparse
from .filters import conditions, params_of
from .items import SHOT, TASK, shot_frames, task_items

BREAKDOWN_FILTERS = ("parent_id", "under", "status", "resource_id", "type_id", "updated_since")
DESCRIBED = {
    "tag": "tasks",
    "query": (*PAGE_PARAMS, FIELDS_PARAM, *params_of(*BREAKDOWN_FILTERS)),
    "errors": (400, 401, 404, 429),
}


def breakdown_page(request, kind, item, extra=None) -> dict:
    """A page of the context project's tasks of ``kind`` (a Task subclass), filtered."""
    dbsession = request.dbsession
    statement = (
        select(kind)
        .options(joinedload(kind.status))
        .where(kind.project_id == request.context.entity.id)
        .where(*conditions(request, dbsession, *BREAKDOWN_FILTERS))
    )
    serialize = partial(task_items, dbsession, extra=extra)
    return cursor_page(request, dbsession, statement, kind.id, serialize, item)


@api_view(
    "api.projects.assets",
    "GET",
    Permissions.LIST_TASKS,
    summary="A project's assets (type_id: the asset type)",
    response=page_schema(sparse(TASK)),
    **DESCRIBED,
)
def assets(context, request) -> dict:
    return breakdown_page(request, Asset, TASK)


@api_view(
    "api.projects.sequences",
    "GET",
    Permissions.LIST_TASKS,
    summary="A project's sequences",
    response=page_schema(sparse(TASK)),
    **DESCRIBED,
)
def sequences(context, request) -> dict:
    return breakdown_page(request, Sequence, TASK)


@api_view(
    "api.projects.shots",
    "GET",
    Permissions.LIST_TASKS,
    summary="A project's shots, with their cut and sequence",
    response=page_schema(sparse(SHOT)),
    **DESCRIBED,
)
def shots(context, request) -> dict:
    return breakdown_page(request, Shot, SHOT, shot_frames)
