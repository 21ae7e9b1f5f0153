"""Editing a task's own fields (a shot's frames too); its place in the tree is the move page's.

Only the fields a request submits are looked at, and of those only the ones whose value differs
from the task's are handed to the service, so a partial post changes nothing else. Browsers
leave unticked boxes and empty multi-selects out of a post: the page names them in hidden
``present`` inputs so clearing them is still a submitted change.
"""

from datetime import datetime

from pyramid.view import view_config

from ...forms import select_choices, submit_form
from ...models import Shot, Task
from ...permissions import Permissions
from ...services.accounts.user_search import Picked
from ...services.projects.projects import image_formats
from ...services.tasks import choices
from ...services.tasks.edit import FRAMES, PEOPLE, SHOT_FIELDS, TASK_FIELDS, update_task
from ...services.tasks.paths import task_path
from ...services.tasks.staffing import picked_people, step_defaults
from .forms import ShotEditForm, TaskEditForm, chosen_people_of

# The form fields holding a row's id, and the column the task keeps that id in.
ROW_IDS = {
    "type": "type_id",
    "image_format": "image_format_id",
    "sequence": "sequence_id",
    "scene": "scene_id",
}
PRESENT_MARKER = "present"


def _editable(task: Task) -> set[str]:
    return TASK_FIELDS | ({*SHOT_FIELDS, *FRAMES} if isinstance(task, Shot) else set())


def _form_class(task: Task) -> type[TaskEditForm]:
    return ShotEditForm if isinstance(task, Shot) else TaskEditForm


def _initial(task: Task, *, with_version: bool) -> dict:
    """The form's starting values: the task's, with ids for the rows and people it points to.

    The version is only filled in for a fresh page: a post must bring the one it was loaded at.
    """
    data = {"version_id": task.version_id} if with_version else {}
    for name in _editable(task):
        if name in ROW_IDS:
            data[name] = getattr(task, ROW_IDS[name])
        elif name in PEOPLE:
            data[name] = [user.id for user in getattr(task, name)]
        else:
            data[name] = getattr(task, name)
    return data


def _submitted_names(request) -> set[str]:
    return set(request.POST) | set(request.POST.getall(PRESENT_MARKER))


def _service_value(request, task: Task, name: str, data, picked: dict[str, Picked]):
    """What the service takes for the form field ``name``: rows for ids, users for people (the
    ticked ones and those whose logins were typed, see ``picked``)."""
    dbsession = request.dbsession
    if name == "type":
        return choices.chosen_type(dbsession, data)
    if name == "image_format":
        return choices.chosen_image_format(dbsession, data)
    if name in ("sequence", "scene"):
        return choices.chosen_task(dbsession, data, name, required=False)
    if name in PEOPLE:
        return picked_people(
            dbsession, task.project, picked[name], name, already=getattr(task, name)
        )
    if name == "description":
        return data or ""
    return data


def _same(value, current) -> bool:
    """Whether a submitted value leaves the task's value as it is (dates to the minute)."""
    if isinstance(current, list):
        return {user.id for user in value} == {user.id for user in current}
    if isinstance(current, datetime) and isinstance(value, datetime):
        return value == current.replace(second=0, microsecond=0) or value == current
    return value == current


def _changes(request, form: TaskEditForm, task: Task) -> dict:
    """The submitted fields whose value differs from the task's, as the service takes them."""
    submitted = _submitted_names(request)
    picked = form.picked()
    changes = {}
    for field in form:
        name = field.name
        if name not in _editable(task) or name not in submitted:
            continue
        value = _service_value(request, task, name, field.data, picked)
        if not _same(value, getattr(task, name)):
            changes[name] = value
    return changes


def _step_department(dbsession, task: Task) -> int | None:
    """The department of the task's pipeline step: its pickers offer its members first."""
    step = step_defaults(dbsession, [task.type_id]).get(task.type_id)
    return step.department_id if step else None


def _page(request, form: TaskEditForm, task: Task) -> dict:
    dbsession = request.dbsession
    project = task.project
    kind = type(task).__name__
    types = choices.types_for(dbsession, [kind])[kind]
    form.type.choices = select_choices(
        ([] if kind == "Asset" else [("", "No type")]) + [(item.id, item.name) for item in types]
    )
    if isinstance(form, ShotEditForm):
        form.image_format.choices = select_choices(
            [("", "The project's")] + [(item.id, item.name) for item in image_formats(dbsession)]
        )
        for name, group_kind in (("sequence", "Sequence"), ("scene", "Scene")):
            groups = choices.project_tasks_of_kind(dbsession, project, group_kind)
            getattr(form, name).choices = select_choices(
                [("", f"No {group_kind.lower()}")]
                + [(group.id, f"{group.code} · {group.name}") for group in groups]
            )
    return {
        "form": form,
        "task": task,
        "project": project,
        "task_path": task_path(dbsession, task),
        "present_marker": PRESENT_MARKER,
        "chosen_people": chosen_people_of(dbsession, form),
        "department_id": _step_department(dbsession, task),
    }


@view_config(
    route_name="tasks.edit",
    renderer="tasks/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_TASK,
)
def task_edit_view(request):
    """The edit page of any kind of task; a refusal is shown under the field it concerns."""
    task = request.context.entity
    form = _form_class(task)(
        request.POST,
        data=_initial(task, with_version=not request.POST),
        time_zone=request.time_zone,
    )

    def save():
        update_task(
            request.dbsession,
            task,
            submitted_version=form.submitted_version(),
            **_changes(request, form, task),
        )
        return f"{task_path(request.dbsession, task)} saved.", request.route_url(
            "tasks.view", task_id=task.id
        )

    return submit_form(request, form, save) or _page(request, form, task)
