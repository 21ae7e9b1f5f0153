"""``/api/v1/tasks/{task_id}/cameras``: a task's cameras, and adding one, as API operations of
the app (documented in its OpenAPI document, with its tokens, errors and Idempotency-Key)."""

from stalker_web.api.bodies import json_body
from stalker_web.api.idempotency import idempotent
from stalker_web.api.operations import api_view
from stalker_web.api.schemas import DATE_TIME, ID, TEXT, schema
from stalker_web.permissions import Permissions

from .cameras import add_camera, cameras_of

CAMERA = schema(
    "AcmeCamera",
    {
        "id": ID,
        "task_id": ID,
        "name": TEXT,
        "focal_length": {"type": "number"},
        "sensor_width": {"type": "number"},
        "date_created": DATE_TIME,
    },
)
CAMERA_BODY = {
    "type": "object",
    "required": ["name", "focal_length"],
    "properties": {
        "name": {"type": "string", "maxLength": 64},
        "focal_length": {"type": "number"},
        "sensor_width": {"type": "number"},
    },
    "additionalProperties": False,
}


def camera_json(camera) -> dict:
    return {
        "id": camera.id,
        "task_id": camera.task_id,
        "name": camera.name,
        "focal_length": camera.focal_length,
        "sensor_width": camera.sensor_width,
        "date_created": camera.date_created.isoformat(),
    }


@api_view(
    "api.acme.cameras",
    "GET",
    Permissions.READ_TASK,
    summary="The cameras of a task (ACME)",
    tag="acme",
    response={"type": "object", "required": ["data"],
              "properties": {"data": {"type": "array", "items": CAMERA}}},
)  # fmt: skip
def cameras(context, request) -> dict:
    return {"data": [camera_json(c) for c in cameras_of(request.dbsession, context.entity)]}


@api_view(
    "api.acme.cameras",
    "POST",
    Permissions.UPDATE_TASK,
    summary="Add a camera to a task (ACME)",
    tag="acme",
    response=CAMERA,
    status=201,
    body=CAMERA_BODY,
    headers=("Idempotency-Key",),
    read_permission=Permissions.READ_TASK,
    errors=(403, 409),
)
def add(context, request) -> dict:
    values = json_body(request, ("name", "focal_length", "sensor_width"))

    def create() -> dict:
        camera = add_camera(request.dbsession, context.entity, **values)
        request.response.status_int = 201
        return camera_json(camera)

    return idempotent(request, create)
