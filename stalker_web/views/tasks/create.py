"""Creating a task, asset, sequence, scene, shot or variant in a project's tree."""

from pyramid.view import view_config
from wtforms.fields.choices import SelectChoice

from ...forms import submit_form
from ...limits import query_text
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.tasks import choices
from ...services.tasks.paths import task_path
from ...services.tasks.staffing import StepDefaults, create_staffed_task, step_defaults
from .forms import KINDS, TaskCreateForm, chosen_people_of


def _preselected(request) -> dict:
    """The kind and parent named in the query string (``?parent=12&kind=Shot``)."""
    kind = request.GET.get("kind")
    return {
        "kind": kind if kind in KINDS else "Task",
        "parent": query_text(request.GET, "parent"),
    }


def _values(form: TaskCreateForm) -> dict:
    """The model values the form gives (a blank bid means the schedule timing, a blank shot
    name means the shot's code)."""
    values = {
        "name": form.name.data,
        "code": form.code.data,
        "priority": form.priority.data,
        "schedule_timing": form.schedule_timing.data,
        "schedule_unit": form.schedule_unit.data,
        "schedule_model": form.schedule_model.data,
        "description": (form.description.data or "").strip(),
    }
    if form.bid_timing.data is not None:
        values["bid_timing"] = form.bid_timing.data
        values["bid_unit"] = form.bid_unit.data
    if form.kind.data == "Shot" and not (form.name.data or "").strip():
        del values["name"]
    return values


def _step_data(step: StepDefaults | None) -> dict | None:
    """The data attributes of a type's option: what user_picker.js follows when it is chosen."""
    if step is None:
        return None
    data = {"data-department-id": step.department_id or ""}
    if step.schedule_timing is not None:
        data["data-timing"] = f"{step.schedule_timing:g}"
        data["data-unit"] = step.schedule_unit or ""
    return data


def _type_choices(types: dict, steps: dict[int, StepDefaults]) -> list[SelectChoice]:
    """No type, then the types of every kind, grouped by the kind they are meant for."""
    return [SelectChoice("", "No type")] + [
        SelectChoice(
            kind_type.id,
            kind_type.name,
            optgroup=f"{kind} types",
            render_kw=_step_data(steps.get(kind_type.id)),
        )
        for kind in KINDS
        for kind_type in types[kind]
    ]


def _page(request, form: TaskCreateForm) -> dict:
    dbsession = request.dbsession
    project = request.context.entity
    types = choices.types_for(dbsession, KINDS)
    steps = step_defaults(dbsession, [kind_type.id for kind_type in types["Task"]])
    form.type.choices = _type_choices(types, steps)
    chosen_step = steps.get(form.type.data) if isinstance(form.type.data, int) else None
    parent = None
    try:
        parent = choices.chosen_parent(request.dbsession, project, form.parent_id())
    except ValidationError as error:
        if not form.parent.errors:
            form.add_service_error(error)
    parent_path = task_path(request.dbsession, parent) if parent else None
    return {
        "form": form,
        "task": None,
        "project": project,
        "parent_path": parent_path,
        "chosen_people": chosen_people_of(dbsession, form),
        "department_id": chosen_step.department_id if chosen_step else None,
    }


@view_config(
    route_name="projects.tasks.create",
    renderer="tasks/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_TASK,
)
def task_create_view(request):
    """The create page; ``?parent=<task id>&kind=Shot`` preselect the parent and the kind."""
    project = request.context.entity
    form = TaskCreateForm(request.POST, data=_preselected(request))

    def save():
        dbsession = request.dbsession
        task = create_staffed_task(
            dbsession,
            form.kind.data,
            project=project,
            parent=choices.chosen_parent(dbsession, project, form.parent_id()),
            type=choices.chosen_type(dbsession, form.type.data),
            picked=form.picked(),
            is_milestone=form.is_milestone.data,
            **_values(form),
        )
        return (
            f"{task.entity_type} {task_path(dbsession, task)} created.",
            request.route_url("tasks.view", task_id=task.id),
        )

    return submit_form(request, form, save) or _page(request, form)
