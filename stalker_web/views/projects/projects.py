"""Project pages: the list, create/edit, the overview and managing the project's members."""

from datetime import UTC, datetime

from pyramid.view import view_config

from ...forms import select_choices, submit_form
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.health.overview import project_health
from ...services.projects import projects as service
from ...services.tasks.progress import studio_calendar
from ..notes.listing import notes_on_page
from .forms import ProjectEditForm, ProjectForm


def _project_url(request, project=None) -> str:
    project = project or request.context.entity
    return request.route_url("projects.view", project_id=project.id)


def _form_page(request, form: ProjectForm, project) -> dict:
    form.image_format_id.choices = select_choices(
        [("", "Not set")] + [(f.id, f.name) for f in service.image_formats(request.dbsession)]
    )
    if isinstance(form, ProjectEditForm):
        form.status_id.choices = select_choices(
            (status.id, status.name) for status in service.project_statuses(request.dbsession)
        )
    return {"form": form, "project": project}


def _values(form: ProjectForm) -> dict:
    return {
        "name": form.name.data,
        "code": form.code.data,
        "fps": form.fps.data,
        "image_format_id": form.image_format_id.data,
        "start": form.start.data,
        "end": form.end.data,
        "description": form.description.data,
    }


@view_config(
    route_name="projects.list",
    renderer="projects/list.jinja2",
    request_method="GET",
    permission=Permissions.VIEW,
)
def project_list_view(request):
    """Every project for holders of List_Project; the user's own projects for anybody else."""
    see_all = request.studio_permits(Permissions.LIST_PROJECTS)
    page = service.visible_projects(
        request.dbsession,
        request.user,
        see_all=see_all,
        number=parse_page_number(request.params.get("page")),
    )
    return {"page": page, "see_all": see_all}


@view_config(
    route_name="projects.create",
    renderer="projects/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_PROJECT,
)
def project_create_view(request):
    form = ProjectForm(request.POST)

    def save():
        project = service.create_project(request.dbsession, **_values(form))
        return f"Project {project.name} created.", _project_url(request, project)

    return submit_form(request, form, save) or _form_page(request, form, None)


@view_config(
    route_name="projects.edit",
    renderer="projects/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_PROJECT,
)
def project_edit_view(request):
    project = request.context.entity
    form = ProjectEditForm(request.POST, obj=project)

    def save():
        service.update_project(
            request.dbsession,
            project,
            submitted_version=form.submitted_version(),
            status_id=form.status_id.data,
            **_values(form),
        )
        return f"Project {project.name} saved.", _project_url(request)

    return submit_form(request, form, save) or _form_page(request, form, project)


@view_config(
    route_name="projects.view",
    renderer="projects/view.jinja2",
    request_method="GET",
    permission=Permissions.READ_PROJECT,
)
def project_view(request):
    """The overview: health (lateness, steps, burn-up, milestones, runs, reviews, load),
    progress, task counts, recent changes and the first members of the team."""
    project = request.context.entity
    calendar = studio_calendar(request.dbsession)
    now = datetime.now(UTC)
    return {
        "project": project,
        "health": project_health(
            request.dbsession,
            project,
            calendar,
            now,
            with_loads=bool(request.has_permission(Permissions.READ_WORKLOAD, request.context)),
        ),
        "overview": service.project_overview(
            request.dbsession, project, calendar=calendar, now=now
        ),
        "can_manage": bool(request.has_permission(Permissions.UPDATE_PROJECT, request.context)),
        "notes": notes_on_page(request, project),
    }
