"""Structure pages: the list, create/edit/delete, a structure's filename templates and their
preview."""

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.renderers import render_to_response
from pyramid.view import view_config

from ...forms import submit_form
from ...limits import whole_number
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...resources import matched_id
from ...services.errors import ValidationError
from ...services.projects import structures as service
from ...services.projects.template_preview import PREVIEW_EXTENSION, preview_template
from ...services.versions.template_values import (
    FILENAME_EXAMPLES_FOR,
    FILENAME_VARIABLES,
    FOLDER_EXAMPLES_FOR,
    FOLDER_VARIABLES,
)
from .forms import FilenameTemplateEditForm, FilenameTemplateForm, StructureEditForm, StructureForm

# What the forms list under a folder template and under a filename template.
FOLDER_HELP = {"variables": FOLDER_VARIABLES, "example_setting": FOLDER_EXAMPLES_FOR}
FILENAME_HELP = {"variables": FILENAME_VARIABLES, "example_setting": FILENAME_EXAMPLES_FOR}


def _structure_url(request) -> str:
    return request.route_url("structures.view", structure_id=request.context.entity.id)


def _structure_values(form: StructureForm) -> dict:
    return {
        "name": form.name.data,
        "description": form.description.data,
        "custom_template": form.custom_template.data,
    }


def _template_values(form: FilenameTemplateForm) -> dict:
    return {
        "name": form.name.data,
        "target_entity_type": form.target_entity_type.data,
        "path": form.path.data,
        "filename": form.filename.data,
        "description": form.description.data,
    }


def _template(request, template_id: int | None = None):
    """The filename template of the URL (or ``template_id``, sent by a form), which must belong
    to the structure of the URL."""
    if "template_id" in request.matchdict:
        template_id = matched_id(request, "template_id")
    template = None
    if template_id is not None:
        template = service.template_of(request.context.entity, template_id)
    if template is None:
        raise HTTPNotFound("This structure has no such filename template.")
    return template


@view_config(
    route_name="structures.list",
    renderer="structures/list.jinja2",
    request_method="GET",
    permission=Permissions.LIST_STRUCTURES,
)
def structure_list_view(request):
    page = service.structure_page(request.dbsession, parse_page_number(request.params.get("page")))
    return {"page": page}


@view_config(
    route_name="structures.create",
    renderer="structures/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_STRUCTURE,
)
def structure_create_view(request):
    form = StructureForm(request.POST)

    def save():
        structure = service.create_structure(request.dbsession, **_structure_values(form))
        return (
            f"Structure {structure.name} created.",
            request.route_url("structures.view", structure_id=structure.id),
        )

    return submit_form(request, form, save) or {"form": form, "structure": None, **FOLDER_HELP}


def _structure_page(request, add_form: FilenameTemplateForm) -> dict:
    structure = request.context.entity
    return {
        "structure": structure,
        "projects": service.projects_using(request.dbsession, [structure.id]).get(structure.id, []),
        "add_form": add_form,
        **FILENAME_HELP,
    }


@view_config(
    route_name="structures.view",
    renderer="structures/view.jinja2",
    request_method="GET",
    permission=Permissions.LIST_STRUCTURES,
)
def structure_view(request):
    return _structure_page(request, FilenameTemplateForm())


@view_config(
    route_name="structures.edit",
    renderer="structures/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_STRUCTURE,
)
def structure_edit_view(request):
    structure = request.context.entity
    form = StructureEditForm(request.POST, obj=structure)

    def save():
        service.update_structure(
            request.dbsession,
            structure,
            submitted_version=form.submitted_version(),
            **_structure_values(form),
        )
        return f"Structure {structure.name} saved.", _structure_url(request)

    return submit_form(request, form, save) or {
        "form": form,
        "structure": structure,
        **FOLDER_HELP,
    }


@view_config(
    route_name="structures.delete",
    request_method="POST",
    permission=Permissions.DELETE_STRUCTURE,
)
def structure_delete_view(request):
    structure = request.context.entity
    name = structure.name
    try:
        service.delete_structure(request.dbsession, structure)
    except ValidationError as error:
        request.session.flash(error.message, "error")
        return HTTPSeeOther(_structure_url(request))
    request.session.flash(f"Structure {name} deleted.")
    return HTTPSeeOther(request.route_url("structures.list"))


@view_config(
    route_name="structures.templates.add",
    renderer="structures/view.jinja2",
    request_method="POST",
    permission=Permissions.CREATE_FILENAME_TEMPLATE,
)
def template_add_view(request):
    form = FilenameTemplateForm(request.POST)

    def save():
        template = service.add_template(
            request.dbsession, request.context.entity, **_template_values(form)
        )
        return (
            f"Filename template {template.name} added for {template.target_entity_type}.",
            _structure_url(request),
        )

    return submit_form(request, form, save) or _structure_page(request, form)


@view_config(
    route_name="structures.templates.edit",
    renderer="structures/template_form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_FILENAME_TEMPLATE,
)
def template_edit_view(request):
    template = _template(request)
    form = FilenameTemplateEditForm(request.POST, obj=template)

    def save():
        service.update_template(
            request.dbsession,
            template,
            submitted_version=form.submitted_version(),
            **_template_values(form),
        )
        return f"Filename template {template.name} saved.", _structure_url(request)

    return submit_form(request, form, save) or _template_page(request, template, form)


@view_config(
    route_name="structures.templates.remove",
    request_method="POST",
    permission=Permissions.DELETE_FILENAME_TEMPLATE,
)
def template_remove_view(request):
    template = _template(request)
    name = template.name
    service.remove_template(request.dbsession, request.context.entity, template)
    request.session.flash(f"Filename template {name} removed.")
    return HTTPSeeOther(_structure_url(request))


def _template_page(request, template, form: FilenameTemplateEditForm) -> dict:
    return {
        "form": form,
        "structure": request.context.entity,
        "template": template,
        **FILENAME_HELP,
    }


@view_config(
    route_name="structures.templates.preview",
    request_method="POST",
    permission=Permissions.UPDATE_STRUCTURE,
)
def template_preview_view(request):
    """What the template form's path and file name give for a task's next version, saving
    nothing: the page of the form again (the add form, or the edit form when ``template_id``
    names one of the structure's templates) with the preview, or only the preview when
    ``fragment`` is 1 (the script's request as the user types)."""
    sent_id = request.POST.get("template_id")
    template = _template(request, whole_number(sent_id)) if sent_id is not None else None
    form = (FilenameTemplateEditForm if template else FilenameTemplateForm)(request.POST)
    preview = None
    if form.preview_fields_valid():
        preview = preview_template(
            request.dbsession,
            request.context.entity,
            name=form.name.data,
            target_entity_type=form.target_entity_type.data,
            path=form.path.data,
            filename=form.filename.data,
            query=(form.preview_task.data or "").strip(),
            task_id=form.preview_task_id.data,
        )
    if request.POST.get("fragment") == "1":
        renderer, values = "structures/preview_result.jinja2", {"form": form}
    elif template is not None:
        renderer = "structures/template_form.jinja2"
        values = _template_page(request, template, form)
    else:
        renderer, values = "structures/view.jinja2", _structure_page(request, form)
    values |= {"preview": preview, "preview_extension": PREVIEW_EXTENSION}
    return render_to_response(renderer, values, request=request)
