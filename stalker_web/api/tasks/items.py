"""Tasks as the API shows them: their schemas, and a page of tasks turned into items with a
fixed number of queries (resources, responsible users and full paths batched)."""

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Task
from ...models.task import task_resources
from ...services.tasks.commands import responsible_users
from ...services.tasks.paths import task_paths
from ..schemas import DATE_TIME, ID, NULLABLE_DATE_TIME, NULLABLE_ID, NULLABLE_TEXT, TEXT, schema

IDS = {"type": "array", "items": ID}
NULLABLE_FRAME = {"type": ["integer", "null"]}
TASK_PROPERTIES = {
    "id": ID,
    "name": TEXT,
    "code": NULLABLE_TEXT,
    "entity_type": {"type": "string", "description": "Task, Asset, Variant, Sequence, Scene..."},
    "project_id": ID,
    "parent_id": NULLABLE_ID,
    "path": {"type": "string", "description": 'As pages show it: "LHK / SQ01 / SH010 / Layout".'},
    "status": {"type": "string", "description": "The status code (WFD, RTS, WIP...)."},
    "type_id": NULLABLE_ID,
    "resource_ids": IDS,
    "responsible_ids": {**IDS, "description": "Inherited from the parents when it has none."},
    "schedule_timing": {"type": "number"},
    "schedule_unit": {"type": "string", "description": "min, h, d, w, m or y."},
    "schedule_model": {"type": "string", "description": "effort, length or duration."},
    "computed_start": NULLABLE_DATE_TIME,
    "computed_end": NULLABLE_DATE_TIME,
    "start": NULLABLE_DATE_TIME,
    "end": NULLABLE_DATE_TIME,
    "date_updated": DATE_TIME,
}
TASK = schema("Task", TASK_PROPERTIES)
TASK_DETAIL = schema(
    "TaskDetail", {**TASK_PROPERTIES, "depends_on_ids": {**IDS, "description": "It waits for."}}
)
SHOT = schema(
    "Shot",
    {
        **TASK_PROPERTIES,
        "cut_in": NULLABLE_FRAME,
        "cut_out": NULLABLE_FRAME,
        "sequence_id": NULLABLE_ID,
    },
)


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _resource_ids(dbsession: Session, task_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {task_id: [] for task_id in task_ids}
    rows = dbsession.execute(
        select(task_resources.c.task_id, task_resources.c.user_id)
        .where(task_resources.c.task_id.in_(task_ids))
        .order_by(task_resources.c.user_id)
    )
    for task_id, user_id in rows:
        found[task_id].append(user_id)
    return found


def task_items(
    dbsession: Session, tasks: list[Task], extra: Callable[[Task], dict] | None = None
) -> list[dict]:
    """The items of ``tasks`` (their status loaded), plus what ``extra`` adds to each: four
    queries for any number of tasks, none for none."""
    if not tasks:
        return []
    ids = [task.id for task in tasks]
    resources = _resource_ids(dbsession, ids)
    responsible = responsible_users(dbsession, tasks)
    paths = task_paths(dbsession, tasks)
    return [
        {
            "id": task.id,
            "name": task.name,
            "code": task.code or None,
            "entity_type": task.entity_type,
            "project_id": task.project_id,
            "parent_id": task.parent_id,
            "path": paths[task.id],
            "status": task.status.code,
            "type_id": task.type_id,
            "resource_ids": resources[task.id],
            "responsible_ids": [user.id for user in responsible[task.id]],
            "schedule_timing": task.schedule_timing,
            "schedule_unit": task.schedule_unit.value,
            "schedule_model": task.schedule_model.value,
            "computed_start": iso(task.computed_start),
            "computed_end": iso(task.computed_end),
            "start": iso(task.start),
            "end": iso(task.end),
            "date_updated": iso(task.date_updated),
            **(extra(task) if extra is not None else {}),
        }
        for task in tasks
    ]


def shot_frames(shot) -> dict:
    """What a shot's item adds: its cut and its sequence."""
    return {"cut_in": shot.cut_in, "cut_out": shot.cut_out, "sequence_id": shot.sequence_id}
