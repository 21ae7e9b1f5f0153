"""Schedule pages: the run history with "schedule now", a run's live progress and its result."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...forms import select_choices, submit_form
from ...models import Scenario
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...queue import queue_schedule_run
from ...resources import ScheduleRunResource
from ...services.errors import ValidationError
from ...services.scheduling import history
from ...services.scheduling.runs import active_run
from ..common import refuse_and_go
from .forms import ScheduleForm


def _history_page(request, form: ScheduleForm) -> dict:
    can_schedule = request.studio_permits(Permissions.CREATE_SCHEDULE_RUN)
    if can_schedule:
        form.project_ids.choices = select_choices(
            (project.id, f"{project.name} ({project.code})")
            for project in history.schedulable_projects(request.dbsession)
        )
    return {
        "page": history.run_history(
            request.dbsession, parse_page_number(request.params.get("page"))
        ),
        "active": active_run(request.dbsession),
        "form": form,
        "can_schedule": can_schedule,
        "history": history,
    }


@view_config(
    route_name="schedule.runs",
    renderer="schedule/runs.jinja2",
    request_method="GET",
    permission=Permissions.LIST_SCHEDULE_RUNS,
)
def run_history_view(request):
    return _history_page(request, ScheduleForm())


@view_config(
    route_name="schedule.start",
    renderer="schedule/runs.jinja2",
    request_method="POST",
    permission=Permissions.CREATE_SCHEDULE_RUN,
)
def schedule_start_view(request):
    """Ask for a run; the worker gets it once this request has committed. A run already active
    is shown instead of starting a second one."""
    form = ScheduleForm(request.POST)

    def save():
        run, created = queue_schedule_run(request, form.chosen_project_ids())
        url = request.route_url("schedule.run", run_id=run.id)
        if not created:
            return (
                f"A schedule run is already {history.status_label(run)} (run {run.id}); only "
                "one runs at a time, so no other was started. Here it is.",
                url,
            )
        return f"Schedule run {run.id} is queued: {run.name}.", url

    return submit_form(request, form, save) or _history_page(request, form)


@view_config(
    route_name="projects.schedule",
    request_method="POST",
    permission=Permissions.CREATE_SCHEDULE_RUN,
)
def project_schedule_view(request):
    """Schedule one project: its managers may, as may studio-wide Create_ScheduleRun holders.
    An active run they may not read is named on the project's page instead of opened."""
    project = request.context.entity
    project_url = request.route_url("projects.view", project_id=project.id)
    try:
        run, created = queue_schedule_run(request, [project.id])
    except ValidationError as refused:
        return refuse_and_go(request, refused.message, project_url)
    if created:
        request.session.flash(f"Schedule run {run.id} is queued: {run.name}.")
        return HTTPSeeOther(request.route_url("schedule.run", run_id=run.id))
    message = (
        f"Another schedule run is {history.status_label(run)} (run {run.id}); only one runs "
        f"at a time, so {project.name} was not scheduled."
    )
    if request.has_permission(Permissions.LIST_SCHEDULE_RUNS, ScheduleRunResource(run, request)):
        request.session.flash(f"{message} Here it is.")
        return HTTPSeeOther(request.route_url("schedule.run", run_id=run.id))
    request.session.flash(f"{message} Try again when it has ended.")
    return HTTPSeeOther(project_url)


@view_config(
    route_name="schedule.run",
    renderer="schedule/run.jinja2",
    request_method="GET",
    permission=Permissions.LIST_SCHEDULE_RUNS,
)
def run_view(request):
    """A run's progress and result; a scenario's run names its scenario and links back."""
    run = request.context.entity
    scenario = (
        request.dbsession.get(Scenario, run.scenario_id) if run.scenario_id is not None else None
    )
    return {
        "scenario": scenario,
        "details": history.run_details(request.dbsession, run),
        "status": history.run_status(run),
        "history": history,
    }


@view_config(
    route_name="schedule.run.status",
    renderer="json",
    request_method="GET",
    permission=Permissions.LIST_SCHEDULE_RUNS,
)
def run_status_view(request):
    request.response.cache_control = "no-store"
    return history.run_status(request.context.entity)
