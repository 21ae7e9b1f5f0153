"""Repository pages: the list with the projects using each, create, edit and delete."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...forms import submit_form
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.projects import repositories as service
from .forms import RepositoryEditForm, RepositoryForm


def _values(form: RepositoryForm) -> dict:
    return {
        "name": form.name.data,
        "code": form.code.data,
        "linux_path": form.linux_path.data,
        "windows_path": form.windows_path.data,
        "macos_path": form.macos_path.data,
        "description": form.description.data,
    }


@view_config(
    route_name="repositories.list",
    renderer="repositories/list.jinja2",
    request_method="GET",
    permission=Permissions.LIST_REPOSITORIES,
)
def repository_list_view(request):
    page = service.repository_page(request.dbsession, parse_page_number(request.params.get("page")))
    return {"page": page}


@view_config(
    route_name="repositories.create",
    renderer="repositories/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_REPOSITORY,
)
def repository_create_view(request):
    form = RepositoryForm(request.POST)

    def save():
        repository = service.create_repository(request.dbsession, **_values(form))
        return f"Repository {repository.name} created.", request.route_url("repositories.list")

    return submit_form(request, form, save) or {"form": form, "repository": None}


@view_config(
    route_name="repositories.edit",
    renderer="repositories/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_REPOSITORY,
)
def repository_edit_view(request):
    repository = request.context.entity
    form = RepositoryEditForm(request.POST, obj=repository)

    def save():
        service.update_repository(
            request.dbsession,
            repository,
            submitted_version=form.submitted_version(),
            **_values(form),
        )
        return f"Repository {repository.name} saved.", request.route_url("repositories.list")

    return submit_form(request, form, save) or {"form": form, "repository": repository}


@view_config(
    route_name="repositories.delete",
    request_method="POST",
    permission=Permissions.DELETE_REPOSITORY,
)
def repository_delete_view(request):
    repository = request.context.entity
    name = repository.name
    try:
        service.delete_repository(request.dbsession, repository)
    except ValidationError as error:
        request.session.flash(error.message, "error")
    else:
        request.session.flash(f"Repository {name} deleted.")
    return HTTPSeeOther(request.route_url("repositories.list"))
