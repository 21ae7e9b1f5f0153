"""The rules of cameras: a name and a lens within sensible bounds; a task's cameras by name."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from stalker_web.models import Task
from stalker_web.services.errors import ValidationError

from .models import NAME_LENGTH, Camera

FOCAL_RANGE = (1.0, 2000.0)
SENSOR_RANGE = (1.0, 100.0)


def _number(value, field: str, bounds: tuple[float, float], unit: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"Give a number of {unit}.", field) from None
    low, high = bounds
    if not low <= number <= high:
        raise ValidationError(f"Give {low:g} to {high:g} {unit}.", field)
    return number


def add_camera(dbsession: Session, task: Task, *, name, focal_length, sensor_width=36.0) -> Camera:
    """A new camera of ``task``; refused in words when a value breaks a rule."""
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError("Name the camera (e.g. shotCam).", "name")
    if len(name) > NAME_LENGTH:
        raise ValidationError(f"Use at most {NAME_LENGTH} characters.", "name")
    camera = Camera(
        task_id=task.id,
        name=name,
        focal_length=_number(focal_length, "focal_length", FOCAL_RANGE, "mm"),
        sensor_width=_number(sensor_width, "sensor_width", SENSOR_RANGE, "mm"),
    )
    dbsession.add(camera)
    dbsession.flush()
    return camera


def cameras_of(dbsession: Session, task: Task) -> list[Camera]:
    return list(
        dbsession.scalars(select(Camera).where(Camera.task_id == task.id).order_by(Camera.name))
    )
