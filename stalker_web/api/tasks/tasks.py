"""``/api/v1/tasks``: the tasks the caller may see, filtered, and one task with what it waits
for (its ETag is its lock version)."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...models import Task, TaskDependency
from ...permissions import Permissions
from ..concurrency import with_etag
from ..listing import FIELDS_PARAM, PAGE_PARAMS, cursor_page, page_schema
from ..operations import api_view
from ..projects.projects import readable_project_ids
from ..schemas import sparse
from .filters import conditions, params_of
from .items import TASK, TASK_DETAIL, task_items

TASK_FILTERS = (
    "project_id",
    "parent_id",
    "under",
    "status",
    "resource_id",
    "type_id",
    "entity_type",
    "updated_since",
)


@api_view(
    "api.tasks",
    "GET",
    Permissions.VIEW,
    summary="The tasks the caller may see",
    description=(
        "Every project's tasks for holders of List_Project, else the tasks of the caller's "
        "projects; assets, sequences, scenes and shots are tasks too (entity_type). "
        "parent_id=0 lists the top level of each project; under=<task id> a whole subtree. "
        "Filters combine (all must hold); a filter's values (status, entity_type) are "
        "alternatives."
    ),
    tag="tasks",
    response=page_schema(sparse(TASK)),
    query=(*PAGE_PARAMS, FIELDS_PARAM, *params_of(*TASK_FILTERS)),
    errors=(400, 401, 429),
)
def tasks(context, request) -> dict:
    dbsession = request.dbsession
    statement = select(Task).options(joinedload(Task.status))
    readable = readable_project_ids(request)
    if readable is not None:
        statement = statement.where(Task.project_id.in_(readable))
    statement = statement.where(*conditions(request, dbsession, *TASK_FILTERS))
    return cursor_page(
        request, dbsession, statement, Task.id, lambda rows: task_items(dbsession, rows), TASK
    )


@api_view(
    "api.tasks.view",
    "GET",
    Permissions.READ_TASK,
    summary="A task, with the tasks it waits for",
    tag="tasks",
    response=TASK_DETAIL,
)
def task(context, request) -> dict:
    task = context.entity
    depends_on_ids = list(
        request.dbsession.scalars(
            select(TaskDependency.depends_on_id)
            .where(TaskDependency.task_id == task.id)
            .order_by(TaskDependency.depends_on_id)
        )
    )
    with_etag(request, task)
    [item] = task_items(request.dbsession, [task], lambda _task: {"depends_on_ids": depends_on_ids})
    return item
