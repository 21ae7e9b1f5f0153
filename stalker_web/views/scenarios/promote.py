"""Promoting a scenario: the confirm page listing exactly what changes, with an account row
(login, e-mail) per temporary person; on POST the changes become the live plan in one
transaction and a live run of the whole studio is queued."""

from pyramid.httpexceptions import HTTPForbidden
from pyramid.view import view_config
from zope.sqlalchemy import mark_changed

from ...forms import submit_form
from ...models import Project
from ...models.user import normalize_login
from ...permissions import Permissions
from ...queue import enqueue_after_commit
from ...resources import ProjectResource, StudioRoot
from ...services.scenarios import promote
from ...services.scenarios.page import scenario_page_data
from ...services.scheduling.settings import scheduling_settings
from .forms import EMAIL_FIELD, LOGIN_FIELD, promote_form_class


def missing_rights(request, scenario, data) -> list[str]:
    """What the acting user lacks to promote ``scenario``, in words (empty: nothing)."""
    missing = []
    if not request.studio_permits(Permissions.CREATE_SCHEDULE_RUN):
        missing.append("schedule the studio")
    if data.people and not request.studio_permits(Permissions.CREATE_USER):
        missing.append("create user accounts (for the temporary people)")
    project_ids = {change.task.project_id for change in scenario.changes}
    root = StudioRoot(request)
    refused = [
        project.name
        for project in (request.dbsession.get(Project, i) for i in sorted(project_ids))
        if not request.has_permission(Permissions.UPDATE_TASK, ProjectResource(project, root))
    ]
    if refused:
        missing.append(f"change the tasks of {', '.join(refused)}")
    return missing


def _accounts(form, data) -> dict[int, tuple[str, str]]:
    return {
        person.id: (
            form[LOGIN_FIELD.format(person.id)].data,
            form[EMAIL_FIELD.format(person.id)].data,
        )
        for person in data.people
    }


@view_config(
    route_name="scenarios.promote",
    renderer="scenarios/promote.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_SCENARIO,
)
def promote_view(request):
    scenario = request.context.entity
    data = scenario_page_data(request.dbsession, scenario)
    missing = missing_rights(request, scenario, data)
    if request.method == "POST" and missing:
        raise HTTPForbidden("Promoting this scenario needs rights you do not hold.")
    form_class = promote_form_class([person.id for person in data.people])
    defaults = {
        LOGIN_FIELD.format(person.id): normalize_login(person.name) for person in data.people
    }
    form = form_class(request.POST, data={"version_id": scenario.version_id, **defaults})

    def save():
        promotion = promote.promote_scenario(
            request.dbsession,
            scenario,
            request.user,
            accounts=_accounts(form, data),
            expected_version=form.submitted_version(),
            settings=scheduling_settings(request.registry.settings),
        )
        run = promotion.run
        # The live run is inserted with a Core statement, which zope.sqlalchemy does not notice.
        mark_changed(request.dbsession)
        if promotion.run_created:
            enqueue_after_commit(request, run.id)
        return (
            f"Scenario {scenario.name} is now the live plan: {promotion.applied} task "
            f"change{'' if promotion.applied == 1 else 's'} applied"
            + (f", {len(promotion.users)} account{'' if len(promotion.users) == 1 else 's'} "
               "created" if promotion.users else "")
            + f". The studio is being scheduled (run {run.id}).",
            request.route_url("schedule.run", run_id=run.id),
        )  # fmt: skip

    return submit_form(request, form, save) or {
        "form": form,
        "scenario": scenario,
        "data": data,
        "missing": missing,
        "LOGIN_FIELD": LOGIN_FIELD,
        "EMAIL_FIELD": EMAIL_FIELD,
    }
