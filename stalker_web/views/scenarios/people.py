"""A scenario's temporary people: add one (on the scenario page), change one, remove one."""

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from ...forms import submit_form
from ...permissions import Permissions
from ...resources import matched_id
from ...services.errors import ValidationError
from ...services.scenarios import editing
from ..common import refuse_and_go
from .forms import PersonForm
from .scenarios import department_choices, scenario_page, scenario_url


def _values(form: PersonForm) -> dict:
    return {
        "name": form.name.data,
        "department_id": form.department_id.data,
        "efficiency": form.efficiency.data,
        "rate": form.rate.data,
        "available_from": form.available_from.data,
        "available_until": form.available_until.data,
    }


def _person(request):
    """The temporary person of the URL, or 404 when it is not one of this scenario's."""
    person_id = matched_id(request, "person_id")
    for person in request.context.entity.people:
        if person.id == person_id:
            return person
    raise HTTPNotFound("No temporary person with this id in this scenario.")


@view_config(
    route_name="scenarios.people.add",
    renderer="scenarios/view.jinja2",
    request_method="POST",
    permission=Permissions.UPDATE_SCENARIO,
)
def person_add_view(request):
    scenario = request.context.entity
    form = PersonForm(request.POST, id_prefix="person-", time_zone=request.time_zone)
    department_choices(request, form)

    def save():
        person = editing.add_person(request.dbsession, scenario, request.user, **_values(form))
        return (
            f'{person.name} joins scenario {scenario.name}. Give them tasks with "Change a task".',
            scenario_url(request, scenario) + "#people",
        )

    return submit_form(request, form, save) or scenario_page(request, person_form=form)


@view_config(
    route_name="scenarios.people.edit",
    renderer="scenarios/person.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_SCENARIO,
)
def person_edit_view(request):
    scenario = request.context.entity
    person = _person(request)
    form = PersonForm(request.POST, obj=person, time_zone=request.time_zone)
    department_choices(request, form)

    def save():
        editing.update_person(request.dbsession, scenario, person.id, request.user, **_values(form))
        return f"{person.name} saved.", scenario_url(request, scenario) + "#people"

    return submit_form(request, form, save) or {
        "form": form,
        "scenario": scenario,
        "person": person,
    }


@view_config(
    route_name="scenarios.people.remove",
    request_method="POST",
    permission=Permissions.UPDATE_SCENARIO,
)
def person_remove_view(request):
    scenario = request.context.entity
    person = _person(request)
    name = person.name
    url = scenario_url(request, scenario) + "#people"
    try:
        editing.remove_person(request.dbsession, scenario, person.id, request.user)
    except ValidationError as refused:
        return refuse_and_go(request, refused.message, url)
    request.session.flash(f"{name} is no longer in scenario {scenario.name}.")
    return HTTPSeeOther(url)
