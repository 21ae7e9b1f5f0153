"""A scenario's task changes: find a task of the studio to change, the change form (priority,
effort, pins or milestone date, people, left out) and clearing a change."""

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from ...forms import select_choices, submit_form
from ...limits import query_text
from ...models import Task
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...resources import matched_id
from ...services.errors import ValidationError
from ...services.scenarios import editing
from ...services.tasks import choices
from ...services.tasks.graph import child_counts
from ...services.tasks.paths import task_path
from ...services.tasks.search import studio_task_page
from ..common import refuse_and_go
from .forms import TaskChangeForm
from .scenarios import scenario_url


@view_config(
    route_name="scenarios.tasks",
    renderer="scenarios/tasks.jinja2",
    request_method="GET",
    permission=Permissions.UPDATE_SCENARIO,
)
def task_search_view(request):
    """Tasks of every project whose name or path holds the words searched, a page at a time."""
    text = query_text(request.params, "q")
    return {
        "scenario": request.context.entity,
        "query": text,
        "page": studio_task_page(
            request.dbsession, text, parse_page_number(request.params.get("page"))
        ),
        "changed": {change.task_id for change in request.context.entity.changes},
    }


def _task(request) -> Task:
    task = request.dbsession.get(Task, matched_id(request, "task_id"))
    if task is None:
        raise HTTPNotFound("No task with this id.")
    return task


def _initial(task: Task, change) -> dict:
    """The form's values: the scenario's where it changes the task, else the live ones."""
    values = {
        "priority": task.priority,
        "schedule_timing": task.schedule_timing,
        "schedule_unit": task.schedule_unit.value,
        "schedule_constraint": task.schedule_constraint.value,
        "start": task.start,
        "end": task.end,
        "resources": [user.id for user in task.resources],
        "person_ids": [],
        "change_pins": False,
        "change_people": False,
        "left_out": False,
    }
    if change is None:
        return values
    if change.priority is not None:
        values["priority"] = change.priority
    if change.schedule_timing is not None:
        values["schedule_timing"] = change.schedule_timing
        values["schedule_unit"] = change.schedule_unit.value
    if change.pins_changed:
        values["change_pins"] = True
        values["schedule_constraint"] = change.schedule_constraint.value
        values["start"], values["end"] = change.start, change.end
    if change.resource_ids is not None:
        values["change_people"] = True
        values["resources"] = list(change.resource_ids)
        values["person_ids"] = list(change.person_ids or [])
    values["left_out"] = change.left_out
    return values


def _parts(form: TaskChangeForm, task: Task, is_leaf: bool) -> dict:
    """What set_task_change gets: each part None where it equals the live task (no change)."""
    priority = form.priority.data
    parts = {
        "priority": None if priority is None or priority == task.priority else priority,
        "pins": (
            (form.schedule_constraint.data, form.start.data, form.end.data)
            if form.change_pins.data
            else None
        ),
        "left_out": bool(form.left_out.data),
    }
    if is_leaf:
        timing, unit = form.schedule_timing.data, form.schedule_unit.data
        same = timing is None or (timing == task.schedule_timing and unit == task.schedule_unit)
        parts["timing"] = None if same else (timing, unit)
        parts["resources"] = (
            (form.resources.data or [], form.person_ids.data or [])
            if form.change_people.data
            else None
        )
    return parts


def _choices(request, form: TaskChangeForm, task: Task, scenario) -> None:
    members = choices.project_members(request.dbsession, task.project)
    member_ids = {user.id for user in members}
    holders = [user for user in task.resources if user.id not in member_ids]
    form.resources.choices = select_choices(
        [(user.id, user.name) for user in members]
        + [(user.id, f"{user.name} (not on the team)") for user in holders]
    )
    form.person_ids.choices = select_choices(
        (person.id, f"{person.name} (temporary)") for person in scenario.people
    )


@view_config(
    route_name="scenarios.task",
    renderer="scenarios/task.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_SCENARIO,
)
def task_change_view(request):
    scenario = request.context.entity
    task = _task(request)
    change = next((c for c in scenario.changes if c.task_id == task.id), None)
    is_leaf = not child_counts(request.dbsession, [task.id])
    form = TaskChangeForm(
        request.POST,
        data=_initial(task, change) | {"version_id": scenario.version_id},
        time_zone=request.time_zone,
    )
    _choices(request, form, task, scenario)

    def save():
        editing.check_scenario_version(scenario, form.submitted_version())
        parts = _parts(form, task, is_leaf)
        back = scenario_url(request, scenario) + "#changes"
        if not any(value for value in parts.values()):
            if change is None:
                raise ValidationError(
                    "Nothing differs from the live plan: change a value, or go back."
                )
            editing.clear_task_change(request.dbsession, scenario, task.id, request.user)
            return f"{task.name} follows the live plan again in this scenario.", back
        editing.set_task_change(request.dbsession, scenario, request.user, task.id, **parts)
        return f"Scenario {scenario.name} now changes {task.name}.", back

    return submit_form(request, form, save) or {
        "form": form,
        "scenario": scenario,
        "task": task,
        "change": change,
        "is_leaf": is_leaf,
        "task_path": task_path(request.dbsession, task),
    }


@view_config(
    route_name="scenarios.task.clear",
    request_method="POST",
    permission=Permissions.UPDATE_SCENARIO,
)
def task_clear_view(request):
    scenario = request.context.entity
    task = _task(request)
    url = scenario_url(request, scenario) + "#changes"
    try:
        editing.clear_task_change(request.dbsession, scenario, task.id, request.user)
    except ValidationError as refused:
        return refuse_and_go(request, refused.message, url)
    request.session.flash(f"{task.name} follows the live plan again in this scenario.")
    return HTTPSeeOther(url)
