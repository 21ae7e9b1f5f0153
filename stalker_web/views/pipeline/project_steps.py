"""A project's board columns: which pipeline steps its production board shows, for shots and
for assets, and in which order."""

from pyramid.view import view_config

from ...forms import submit_form
from ...permissions import Permissions
from ...services.pipeline import steps as service
from .forms import StepColumnsForm, chosen_columns


@view_config(
    route_name="projects.steps",
    renderer="pipeline/project_steps.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_PROJECT,
)
def project_steps_view(request):
    project = request.context.entity
    form = StepColumnsForm(request.POST)

    def save():
        service.save_step_columns(request.dbsession, project, chosen_columns(form, request.POST))
        return (
            f"Board columns of {project.name} saved.",
            request.route_url("projects.steps", project_id=project.id),
        )

    return submit_form(request, form, save) or {
        "project": project,
        "form": form,
        "lists": service.step_columns(request.dbsession, project),
        "can_list_types": request.studio_permits(Permissions.LIST_TYPES),
    }
