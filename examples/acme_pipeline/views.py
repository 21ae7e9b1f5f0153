"""The cameras page of a task: its cameras, and a form adding one (the task's editors)."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from stalker_web.permissions import Permissions
from stalker_web.services.errors import ValidationError

from .cameras import add_camera, cameras_of

TEMPLATE = "acme_pipeline:templates/cameras.jinja2"


def _page(request, error: ValidationError | None = None) -> dict:
    task = request.context.entity
    return {
        "task": task,
        "cameras": cameras_of(request.dbsession, task),
        "may_add": request.has_permission(Permissions.UPDATE_TASK),
        "error": error,
        "values": request.POST,
    }


@view_config(
    route_name="acme.cameras",
    request_method="GET",
    permission=Permissions.READ_TASK,
    renderer=TEMPLATE,
)
def cameras_page(request) -> dict:
    return _page(request)


@view_config(
    route_name="acme.cameras",
    request_method="POST",
    permission=Permissions.UPDATE_TASK,
    renderer=TEMPLATE,
)
def add_camera_view(request):
    try:
        camera = add_camera(
            request.dbsession,
            request.context.entity,
            name=request.POST.get("name"),
            focal_length=request.POST.get("focal_length"),
            sensor_width=request.POST.get("sensor_width") or 36.0,
        )
    except ValidationError as error:
        request.response.status_int = 400
        return _page(request, error)
    request.session.flash(f"Camera {camera.name} added.")
    return HTTPSeeOther(request.route_url("acme.cameras", task_id=request.context.entity.id))
