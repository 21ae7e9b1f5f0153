"""Scenario pages: the list with "new scenario", a scenario's page (its people and task changes),
renaming, scheduling it in the background and discarding it."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config
from zope.sqlalchemy import mark_changed

from ...forms import select_choices, submit_form
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...queue import enqueue_after_commit
from ...services.accounts import directory as user_directory
from ...services.errors import ValidationError
from ...services.scenarios import editing, listing, runs
from ...services.scenarios.page import scenario_page_data
from ...services.scheduling import history
from ...services.scheduling.settings import scheduling_settings
from ..common import refuse_and_go
from .forms import PersonForm, ScenarioEditForm, ScenarioForm


def scenario_url(request, scenario) -> str:
    return request.route_url("scenarios.view", scenario_id=scenario.id)


def _list_page(request, form: ScenarioForm) -> dict:
    return {
        "page": listing.scenario_page(
            request.dbsession, parse_page_number(request.params.get("page"))
        ),
        "form": form,
        "can_create": request.studio_permits(Permissions.CREATE_SCENARIO),
    }


@view_config(
    route_name="scenarios.list",
    renderer="scenarios/list.jinja2",
    request_method="GET",
    permission=Permissions.LIST_SCENARIOS,
)
def scenario_list_view(request):
    return _list_page(request, ScenarioForm())


@view_config(
    route_name="scenarios.list",
    renderer="scenarios/list.jinja2",
    request_method="POST",
    permission=Permissions.CREATE_SCENARIO,
)
def scenario_create_view(request):
    form = ScenarioForm(request.POST)

    def save():
        scenario = editing.create_scenario(
            request.dbsession, request.user, form.name.data, form.description.data or ""
        )
        return (
            f"Scenario {scenario.name} created. Change what you want to try; the live plan "
            "stays as it is.",
            scenario_url(request, scenario),
        )

    return submit_form(request, form, save) or _list_page(request, form)


def department_choices(request, form: PersonForm) -> None:
    """Offer the studio's departments (and none) on a temporary person's form."""
    departments = user_directory.form_choices(request.dbsession).departments
    form.department_id.choices = select_choices(
        [("", "No department")] + [(department.id, department.name) for department in departments]
    )


def scenario_page(request, person_form: PersonForm | None = None) -> dict:
    """What the scenario page shows; ``person_form`` is a refused "add a person" form."""
    scenario = request.context.entity
    person_form = person_form or PersonForm(id_prefix="person-", time_zone=request.time_zone)
    department_choices(request, person_form)
    return {
        "data": scenario_page_data(request.dbsession, scenario),
        "scenario": scenario,
        "person_form": person_form,
        "history": history,
        "can_update": request.studio_permits(Permissions.UPDATE_SCENARIO),
        "can_delete": request.studio_permits(Permissions.DELETE_SCENARIO),
        "is_open": scenario.state.value == "open",
    }


@view_config(
    route_name="scenarios.view",
    renderer="scenarios/view.jinja2",
    request_method="GET",
    permission=Permissions.LIST_SCENARIOS,
)
def scenario_view(request):
    return scenario_page(request)


@view_config(
    route_name="scenarios.edit",
    renderer="scenarios/edit.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_SCENARIO,
)
def scenario_edit_view(request):
    scenario = request.context.entity
    form = ScenarioEditForm(request.POST, obj=scenario)

    def save():
        editing.update_scenario(
            request.dbsession,
            scenario,
            request.user,
            name=form.name.data,
            description=form.description.data or "",
            expected_version=form.submitted_version(),
        )
        return f"Scenario {scenario.name} saved.", scenario_url(request, scenario)

    return submit_form(request, form, save) or {"form": form, "scenario": scenario}


@view_config(
    route_name="scenarios.schedule",
    request_method="POST",
    permission=Permissions.UPDATE_SCENARIO,
)
def scenario_schedule_view(request):
    """Queue a run of the scenario (the worker gets it once this request has committed) and
    open its page; a run of it already active is opened instead."""
    scenario = request.context.entity
    try:
        editing.refuse_promoted(scenario)
        run, created = runs.request_scenario_run(
            request.dbsession,
            scenario,
            request.user,
            settings=scheduling_settings(request.registry.settings),
        )
    except ValidationError as refused:
        return refuse_and_go(request, refused.message, scenario_url(request, scenario))
    # The run may be inserted with a Core statement, which zope.sqlalchemy does not notice.
    mark_changed(request.dbsession)
    if created:
        enqueue_after_commit(request, run.id)
        request.session.flash(
            f"Scenario {scenario.name} is being scheduled (run {run.id}); the live plan is "
            "not touched."
        )
    else:
        request.session.flash(
            f"Scenario {scenario.name} is already being scheduled (run {run.id}); here it is."
        )
    return HTTPSeeOther(request.route_url("schedule.run", run_id=run.id))


@view_config(
    route_name="scenarios.discard",
    request_method="POST",
    permission=Permissions.DELETE_SCENARIO,
)
def scenario_discard_view(request):
    scenario = request.context.entity
    name = scenario.name
    try:
        editing.discard_scenario(request.dbsession, scenario)
    except ValidationError as refused:
        return refuse_and_go(request, refused.message, scenario_url(request, scenario))
    request.session.flash(f"Scenario {name} discarded. The live plan is as it was.")
    return HTTPSeeOther(request.route_url("scenarios.list"))
