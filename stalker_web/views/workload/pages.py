"""Workload pages: a department's and a project's people by weeks, one person's tasks behind a
cell, and the index of the teams the viewer may see."""

from datetime import timedelta

from pyramid.view import view_config

from ...models.meta import utcnow
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...resources import DepartmentResource, ProjectResource, StudioRoot
from ...services.errors import ValidationError
from ...services.workload import cell as workload_cell
from ...services.workload import grid as workload_grid
from ...services.workload import scope as workload_scope
from ..common import readable_projects
from .forms import WorkloadWeekForm, WorkloadWeeksForm


def _weeks(request) -> tuple[WorkloadWeeksForm, list | None]:
    """The form and the weeks it asks for (None, with the status set to 400, when refused)."""
    form = WorkloadWeeksForm(request.GET)
    if form.validate():
        try:
            weeks = workload_grid.weeks_from(form.start.data, form.weeks.data, utcnow().date())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            form.start.data, form.weeks.data = weeks[0].date(), len(weeks)
            return form, weeks
    request.response.status_int = 400
    return form, None


def _range_links(request, route_name: str, weeks: list, **matchdict) -> dict[str, str]:
    """The URLs of the same number of weeks before, from this week, and after."""
    step = timedelta(weeks=len(weeks))

    def link(first) -> str:
        query = {"from": first.date().isoformat(), "weeks": len(weeks)}
        return request.route_url(route_name, _query=query, **matchdict)

    return {
        "earlier": link(weeks[0] - step),
        "today": link(workload_grid.weeks_from(None, 1, utcnow().date())[0]),
        "later": link(weeks[0] + step),
    }


def _grid_page(request, route_name: str, people_of, share_of=None, **matchdict) -> dict:
    """What a grid page renders: the form, and when it is valid the page of people and their
    grid (with the share of the project ``share_of`` in each cell when given)."""
    form, weeks = _weeks(request)
    if weeks is None:
        return {"form": form, "grid": None}
    params = {"from": weeks[0].date().isoformat(), "weeks": len(weeks)}
    page = people_of(parse_page_number(request.params.get("page")), **params)
    return {
        "form": form,
        "page": page,
        "grid": workload_grid.workload_grid(request.dbsession, page.items, weeks, share_of),
        "links": _range_links(request, route_name, weeks, **matchdict),
        "route_name": route_name,
        "matchdict": matchdict,
    }


@view_config(
    route_name="departments.workload",
    renderer="workload/grid.jinja2",
    request_method="GET",
    permission=Permissions.READ_WORKLOAD,
)
def department_workload_view(request):
    """The department's members by weeks."""
    department = request.context.entity
    return {
        "department": department,
        "project": None,
        **_grid_page(
            request,
            "departments.workload",
            lambda number, **params: workload_scope.department_people(
                request.dbsession, department, number, **params
            ),
            department_id=department.id,
        ),
    }


@view_config(
    route_name="projects.workload",
    renderer="workload/grid.jinja2",
    request_method="GET",
    permission=Permissions.READ_WORKLOAD,
)
def project_workload_view(request):
    """The project's people by weeks, grouped by department, with the project's share."""
    project = request.context.entity
    return {
        "department": None,
        "project": project,
        **_grid_page(
            request,
            "projects.workload",
            lambda number, **params: workload_scope.project_people(
                request.dbsession, project, number, **params
            ),
            share_of=project.id,
            project_id=project.id,
        ),
    }


@view_config(
    route_name="users.workload",
    renderer="workload/person.jinja2",
    request_method="GET",
    permission=Permissions.READ_WORKLOAD,
)
def user_workload_view(request):
    """The tasks behind one of the person's cells (``?week=``), or their coming weeks."""
    user = request.context.entity
    form = WorkloadWeekForm(request.GET)
    context = {"user": user, "form": form, "weeks": None}
    weeks = None
    day = form.week.data
    if form.validate():
        count = 1 if day else workload_cell.COMING_WEEKS
        try:
            weeks = workload_grid.weeks_from(day, count, utcnow().date())
        except ValidationError as error:
            form.add_service_error(error)
    if weeks is None:
        request.response.status_int = 400
        return context
    context["weeks"] = workload_cell.person_weeks(
        request.dbsession, user, weeks, readable=readable_projects(request), now=utcnow()
    )
    context["single"] = day is not None
    if day is not None:
        context["week_links"] = {
            name: request.route_url(
                "users.workload",
                user_id=user.id,
                _query={"week": (weeks[0] + timedelta(weeks=shift)).date().isoformat()},
            )
            for name, shift in (("before", -1), ("after", 1))
        }
    return context


@view_config(
    route_name="workload.index",
    renderer="workload/index.jinja2",
    request_method="GET",
    permission=Permissions.VIEW,
)
def workload_index_view(request):
    """The departments and projects whose workload the viewer may read, and their own."""
    departments, projects = workload_scope.workload_teams(request.dbsession)
    root = StudioRoot(request)

    def readable(team, resource_class) -> bool:
        resource = resource_class(team.entity, root)
        return bool(request.has_permission(Permissions.READ_WORKLOAD, resource))

    return {
        "departments": [team for team in departments if readable(team, DepartmentResource)],
        "projects": [team for team in projects if readable(team, ProjectResource)],
    }
