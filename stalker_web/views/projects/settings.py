"""Project settings: type, stereoscopy, structure, the ordered repositories, and deletion."""

from pyramid.view import view_config

from ...forms import select_choices, submit_form
from ...permissions import Permissions
from ...services.projects import settings as service
from .forms import DeleteProjectForm, RepositoryActionForm, SettingsForm

_DONE = {
    "add": "{repository} added to the repositories of {project}.",
    "up": "{repository} moved up.",
    "down": "{repository} moved down.",
    "remove": "{repository} removed from the repositories of {project}.",
}


def _settings_url(request) -> str:
    return request.route_url("projects.settings", project_id=request.context.entity.id)


def _page(
    request,
    settings_form: SettingsForm | None = None,
    repository_form: RepositoryActionForm | None = None,
    delete_form: DeleteProjectForm | None = None,
) -> dict:
    """The settings page; forms not given start from the project's current values."""
    project = request.context.entity
    choices = service.settings_choices(request.dbsession, project)
    settings_form = settings_form or SettingsForm(obj=project)
    settings_form.type_id.choices = select_choices(
        [("", "No type")] + [(kind.id, kind.name) for kind in choices.types]
    )
    settings_form.structure_id.choices = select_choices(
        [("", "No structure")] + [(item.id, item.name) for item in choices.structures]
    )
    repository_form = repository_form or RepositoryActionForm()
    repository_form.repository_id.choices = select_choices(
        [("", "Choose a repository")]
        + [(item.id, f"{item.name} ({item.code})") for item in choices.repositories]
    )
    return {
        "project": project,
        "links": project.project_repositories,
        "choices": choices,
        "settings_form": settings_form,
        "repository_form": repository_form,
        "delete_form": delete_form or DeleteProjectForm(),
        "can_delete": bool(request.has_permission(Permissions.DELETE_PROJECT, request.context)),
        "can_list_structures": request.studio_permits(Permissions.LIST_STRUCTURES),
    }


@view_config(
    route_name="projects.settings",
    renderer="projects/settings.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_PROJECT,
)
def project_settings_view(request):
    project = request.context.entity
    form = SettingsForm(request.POST, obj=project)

    def save():
        service.update_project_settings(
            request.dbsession,
            project,
            submitted_version=form.submitted_version(),
            type_id=form.type_id.data,
            is_stereoscopic=form.is_stereoscopic.data,
            structure_id=form.structure_id.data,
        )
        return f"Settings of {project.name} saved.", _settings_url(request)

    return submit_form(request, form, save) or _page(request, settings_form=form)


@view_config(
    route_name="projects.repositories",
    renderer="projects/settings.jinja2",
    request_method="POST",
    permission=Permissions.UPDATE_PROJECT,
)
def project_repositories_view(request):
    project = request.context.entity
    form = RepositoryActionForm(request.POST)

    def save():
        action = form.action.data
        repository = service.change_repositories(
            request.dbsession, project, action=action, repository_id=form.repository_id.data
        )
        message = _DONE[action].format(repository=repository.name, project=project.name)
        return message, _settings_url(request)

    return submit_form(request, form, save) or _page(request, repository_form=form)


@view_config(
    route_name="projects.delete",
    renderer="projects/settings.jinja2",
    request_method="POST",
    permission=Permissions.DELETE_PROJECT,
)
def project_delete_view(request):
    project = request.context.entity
    form = DeleteProjectForm(request.POST)

    def save():
        name = project.name
        service.delete_project(request.dbsession, project, confirmation=form.confirmation.data)
        return f"Project {name} deleted with all its tasks.", request.route_url("projects.list")

    return submit_form(request, form, save) or _page(request, delete_form=form)
