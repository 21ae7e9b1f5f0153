"""Editing a task's own fields, with every rule checked before anything changes."""

from sqlalchemy.orm import Session

from ...models import Shot, Task, User
from ...models.date_range import check_dates
from ...models.shot import check_frames
from ..errors import ValidationError, check_version, model_rules
from .commands import check_shot_code
from .graph import has_children

# Fields whose model validator looks at that field alone, so it can be run before assigning.
PLAIN_FIELDS = (
    "name",
    "code",
    "type",
    "priority",
    "schedule_timing",
    "schedule_unit",
    "schedule_model",
    "schedule_constraint",
    "bid_timing",
    "bid_unit",
    "allocation_strategy",
    "persistent_allocation",
)
SHOT_FIELDS = ("record_in", "fps", "image_format", "sequence", "scene")
FRAMES = ("cut_in", "cut_out", "source_in", "source_out")
PEOPLE = ("resources", "alternative_resources", "watchers", "responsible")
DATES = ("start", "end")
TASK_FIELDS = {*PLAIN_FIELDS, *PEOPLE, *DATES, "description", "is_milestone"}


def _frames(task: Shot, changes: dict) -> dict:
    """The frames after the change; sources still equal to the cut follow the new cut."""
    frames = {key: changes.get(key, getattr(task, key)) for key in FRAMES}
    for source, cut in (("source_in", "cut_in"), ("source_out", "cut_out")):
        if source not in changes and getattr(task, source) == getattr(task, cut):
            frames[source] = frames[cut]
    return frames


def _check_people(dbsession: Session, task: Task, changes: dict) -> None:
    for key in PEOPLE:
        if key in changes and not all(isinstance(user, User) for user in changes[key]):
            raise ValidationError(f"{key.replace('_', ' ').capitalize()} are users.", key)
    staffing = [key for key in ("resources", "alternative_resources") if changes.get(key)]
    if staffing and has_children(dbsession, task):
        raise ValidationError(
            f"{task.name} has child tasks: a task with children has no resources of its own; "
            "give them to its children.",
            staffing[0],
        )
    resources = changes.get("resources", task.resources)
    if changes.get("is_milestone", task.is_milestone) and resources:
        raise ValidationError("A milestone has no resources: remove them first.", "is_milestone")


def _check(dbsession: Session, task: Task, changes: dict) -> None:
    allowed = TASK_FIELDS | ({*SHOT_FIELDS, *FRAMES} if isinstance(task, Shot) else set())
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"{type(task).__name__} has no editable {', '.join(sorted(unknown))}")
    validators = type(task).__mapper__.validators
    with model_rules():
        for key in (*PLAIN_FIELDS, *SHOT_FIELDS):
            if key in changes and key in validators:
                changes[key] = validators[key][0](task, key, changes[key])
        if any(key in changes for key in DATES):
            check_dates(changes.get("start", task.start), changes.get("end", task.end))
        if any(key in changes for key in FRAMES):
            frames = _frames(task, changes)
            for key, value in frames.items():
                validators[key][0](task, key, value)
            check_frames(**frames)
    _check_people(dbsession, task, changes)
    if isinstance(task, Shot) and changes.get("code", task.code) != task.code:
        check_shot_code(dbsession, task.project, changes["code"], exclude_id=task.id)


def update_task(
    dbsession: Session, task: Task, *, submitted_version: int | None, **changes
) -> Task:
    """Change ``task``'s own fields (not its place in the tree, see ``move_task``)."""
    check_version(task, submitted_version, "This task")
    _check(dbsession, task, changes)
    with model_rules():
        if changes.get("is_milestone") is False:
            task.is_milestone = False
        for key in (*PLAIN_FIELDS, *SHOT_FIELDS, *PEOPLE):
            if key in changes:
                setattr(task, key, changes[key])
        if "description" in changes:
            task.description = (changes["description"] or "").strip()
        if any(key in changes for key in DATES):
            task.set_dates(changes.get("start", task.start), changes.get("end", task.end))
        if any(key in changes for key in FRAMES):
            task.set_frames(**_frames(task, changes))
        if changes.get("is_milestone"):
            task.is_milestone = True
    dbsession.flush()
    return task
