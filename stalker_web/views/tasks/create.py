"""Creating a task, asset, sequence, scene, shot or variant in a project's tree."""

from pyramid.view import view_config
from wtforms.fields.choices import SelectChoice

from ...forms import submit_form
from ...limits import query_text
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.tasks import choices
from ...services.tasks.commands import create_task
from .forms import KINDS, TaskCreateForm


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


def _type_choices(request) -> list[SelectChoice]:
    """No type, then the types of every kind, grouped by the kind they are meant for."""
    by_kind = choices.types_for(request.dbsession, KINDS)
    return [SelectChoice("", "No type")] + [
        SelectChoice(kind_type.id, kind_type.name, optgroup=f"{kind} types")
        for kind in KINDS
        for kind_type in by_kind[kind]
    ]


def _page(request, form: TaskCreateForm) -> dict:
    project = request.context.entity
    form.type.choices = _type_choices(request)
    parent = None
    try:
        parent = choices.chosen_parent(request.dbsession, project, form.parent_id())
    except ValidationError as error:
        if not form.parent.errors:
            form.add_service_error(error)
    parent_path = choices.name_paths(request.dbsession, [parent])[parent.id] if parent else None
    return {"form": form, "task": None, "project": project, "parent_path": parent_path}


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
        task = create_task(
            dbsession,
            form.kind.data,
            project=project,
            parent=choices.chosen_parent(dbsession, project, form.parent_id()),
            type=choices.chosen_type(dbsession, form.type.data),
            **_values(form),
        )
        return (
            f"{task.entity_type} {task.name} created.",
            request.route_url("tasks.view", task_id=task.id),
        )

    return submit_form(request, form, save) or _page(request, form)
