"""The filters of the task lists (``?project_id=&parent_id=&under=&status=...``): each parsed
from the query string into a condition on ``Task``, or refused (400, naming the parameter)."""

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from ...limits import whole_number
from ...models import Status, Task
from ...models.task import task_resources
from ...models.task_path import subtree_pattern
from ..errors import ApiError
from ..operations import Param

ID_PARAM = {"type": "integer", "minimum": 0}
CODE_MAX_LENGTH = 256  # Status.code


def entity_types() -> list[str]:
    """Every kind of task (Task, Asset, Variant, Sequence, Scene, Shot), from the mapper."""
    return sorted(Task.__mapper__.polymorphic_map)


def refuse(name: str, words: str) -> ApiError:
    """A 400 naming the query parameter ``name`` and what to send instead."""
    return ApiError(400, f"{name}: {words}", "invalid_parameter", {name: words})


def _id(request, name: str) -> int | None:
    raw = request.GET.get(name)
    if raw is None:
        return None
    number = whole_number(raw)
    if number is None:
        raise refuse(name, "Use a whole number (an id).")
    return number


def _words(request, name: str) -> list[str]:
    """A repeatable parameter whose values may also be comma lists: every value, trimmed."""
    return [
        word.strip() for raw in request.GET.getall(name) for word in raw.split(",") if word.strip()
    ]


def by_project(request, dbsession: Session) -> ColumnElement | None:
    project_id = _id(request, "project_id")
    return None if project_id is None else Task.project_id == project_id


def by_parent(request, dbsession: Session) -> ColumnElement | None:
    parent_id = _id(request, "parent_id")
    if parent_id is None:
        return None
    return Task.parent_id.is_(None) if parent_id == 0 else Task.parent_id == parent_id


def by_ancestor(request, dbsession: Session) -> ColumnElement | None:
    """Everything below the task ``under`` (not itself); nothing when there is no such task."""
    task_id = _id(request, "under")
    if task_id is None:
        return None
    path = dbsession.scalar(select(Task.path).where(Task.id == task_id))
    if path is None:
        return Task.id.is_(None)
    return Task.path.like(subtree_pattern(path)) & (Task.id != task_id)


def by_status(request, dbsession: Session) -> ColumnElement | None:
    codes = {code.upper() for code in _words(request, "status")}
    if not codes:
        return None
    if any(len(code) > CODE_MAX_LENGTH for code in codes):
        raise refuse("status", "Name statuses by their code, such as WIP or CMPL.")
    known = dict(
        dbsession.execute(select(Status.code, Status.id).where(Status.code.in_(codes))).all()
    )
    unknown = sorted(codes - set(known))
    if unknown:
        raise refuse("status", f"No status has the code {', '.join(unknown)[:100]}.")
    return Task.status_id.in_(known.values())


def by_resource(request, dbsession: Session) -> ColumnElement | None:
    user_id = _id(request, "resource_id")
    if user_id is None:
        return None
    assigned = select(task_resources.c.task_id).where(task_resources.c.user_id == user_id)
    return Task.id.in_(assigned)


def by_type(request, dbsession: Session) -> ColumnElement | None:
    type_id = _id(request, "type_id")
    return None if type_id is None else Task.type_id == type_id


def by_entity_type(request, dbsession: Session) -> ColumnElement | None:
    wanted = set(_words(request, "entity_type"))
    if not wanted:
        return None
    unknown = sorted(wanted - set(entity_types()))
    if unknown:
        raise refuse("entity_type", f"Use one of {', '.join(entity_types())}.")
    return Task.entity_type.in_(wanted)


def by_update(request, dbsession: Session) -> ColumnElement | None:
    raw = request.GET.get("updated_since")
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError as error:
        words = "Use an ISO 8601 date and time, such as 2026-03-01T09:30:00+00:00."
        raise refuse("updated_since", words) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return Task.date_updated >= moment.astimezone(UTC)


Filter = Callable[[object, Session], ColumnElement | None]
# Each filter with the parameter that documents it.
FILTERS: dict[str, tuple[Filter, Param]] = {
    "project_id": (by_project, Param("project_id", ID_PARAM, "The tasks of this project.")),
    "parent_id": (
        by_parent,
        Param("parent_id", ID_PARAM, "The direct children of this task; 0: the top level."),
    ),
    "under": (
        by_ancestor,
        Param("under", ID_PARAM, "Every task below this one, at any depth (not itself)."),
    ),
    "status": (
        by_status,
        Param(
            "status",
            {"type": "string"},
            "Status codes (WIP, PREV...): repeat the parameter or separate them by commas.",
        ),
    ),
    "resource_id": (
        by_resource,
        Param("resource_id", ID_PARAM, "The tasks this user is a resource of."),
    ),
    "type_id": (by_type, Param("type_id", ID_PARAM, "The tasks of this type.")),
    "entity_type": (
        by_entity_type,
        Param(
            "entity_type",
            {"type": "string"},
            f"Kinds of task ({', '.join(entity_types())}): repeat or separate by commas.",
        ),
    ),
    "updated_since": (
        by_update,
        Param(
            "updated_since",
            {"type": "string", "format": "date-time"},
            "Tasks changed at or after this moment (ISO 8601; without an offset: UTC).",
        ),
    ),
}


def params_of(*names: str) -> tuple[Param, ...]:
    """The documented parameters of the filters ``names``."""
    return tuple(FILTERS[name][1] for name in names)


def conditions(request, dbsession: Session, *names: str) -> list[ColumnElement]:
    """The conditions the request's filters ``names`` ask for (400 for a bad value)."""
    found = (FILTERS[name][0](request, dbsession) for name in names)
    return [condition for condition in found if condition is not None]
