"""The Types page: one tab per target (pipeline steps, asset, shot, sequence and project types),
and creating, editing and deleting types."""

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from ...forms import select_choices, submit_form
from ...models.type import TYPE_TARGETS
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.pipeline import types as service
from .forms import TypeEditForm, TypeForm, effort_text


def _list_url(request, target: str) -> str:
    return request.route_url("types.list", _query={"target": target})


def _managed_type(request):
    """The type in the URL; ticket types are managed with the ticket workflow, not here."""
    kind = request.context.entity
    if kind.target_entity_type not in TYPE_TARGETS:
        raise HTTPNotFound()
    return kind


def _form_page(request, form: TypeForm, target: str, kind=None) -> dict:
    """The create or edit page; a step's form gets the departments to choose from."""
    if target == "Task":
        form.department_id.choices = select_choices(
            [("", "No department")]
            + [(row.id, row.name) for row in service.step_departments(request.dbsession)]
        )
    return {
        "form": form,
        "kind": kind,
        "target": target,
        "title": service.TARGET_TITLES[target],
        "type_word": service.TYPE_WORDS[target],
    }


@view_config(
    route_name="types.list",
    renderer="pipeline/types.jinja2",
    request_method="GET",
    permission=Permissions.LIST_TYPES,
)
def type_list_view(request):
    target = service.checked_target(request.params.get("target"))
    return {
        "target": target,
        "titles": service.TARGET_TITLES,
        "type_word": service.TYPE_WORDS[target],
        "user_words": service.USER_WORDS[target],
        "rows": service.type_rows(request.dbsession, target),
        "effort_text": effort_text,
    }


@view_config(
    route_name="types.create",
    renderer="pipeline/type_form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_TYPE,
)
def type_create_view(request):
    target = service.checked_target(request.params.get("target"))
    form = TypeForm(request.POST)

    def save():
        kind = service.create_type(request.dbsession, target, form.fields())
        return f"{kind.name} created.", _list_url(request, target)

    return submit_form(request, form, save) or _form_page(request, form, target)


@view_config(
    route_name="types.edit",
    renderer="pipeline/type_form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_TYPE,
)
def type_edit_view(request):
    kind = _managed_type(request)
    target = kind.target_entity_type
    step = kind.step
    form = TypeEditForm(
        request.POST,
        obj=kind,
        department_id=step.department_id if step else None,
        default_timing=step.default_schedule_timing if step else None,
        default_unit=(step.default_schedule_unit if step else None) or "d",
    )

    def save():
        service.update_type(
            request.dbsession,
            kind,
            submitted_version=form.submitted_version(),
            fields=form.fields(),
        )
        return f"{kind.name} saved.", _list_url(request, target)

    return submit_form(request, form, save) or _form_page(request, form, target, kind)


@view_config(
    route_name="types.delete",
    request_method="POST",
    permission=Permissions.DELETE_TYPE,
)
def type_delete_view(request):
    kind = _managed_type(request)
    name, target = kind.name, kind.target_entity_type
    try:
        service.delete_type(request.dbsession, kind)
    except ValidationError as error:
        request.session.flash(error.message, "error")
    else:
        request.session.flash(f"{name} deleted.")
    return HTTPSeeOther(_list_url(request, target))
