"""A project's team page: every member with their role and rate, adding members, and removing
one after a page saying which tasks they will be taken off."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...forms import select_choices, submit_form
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...resources import matched_id
from ...services.errors import ValidationError
from ...services.projects import projects as service
from ...services.projects.member_tasks import refusal
from .forms import AddMemberForm, MemberForm


def _team_url(request) -> str:
    return request.route_url("projects.members", project_id=request.context.entity.id)


def _team_page(request, add_form: AddMemberForm) -> dict:
    """One page of the team; managers also get the choices for adding and changing members."""
    project = request.context.entity
    can_manage = bool(request.has_permission(Permissions.UPDATE_PROJECT, request.context))
    choices = service.member_choices(request.dbsession, project) if can_manage else None
    if choices is not None:
        add_form.user_id.choices = select_choices(
            [("", "Choose a user")]
            + [(user.id, f"{user.name} ({user.login})") for user in choices.candidates]
        )
        add_form.role_id.choices = select_choices(
            [("", "No role")] + [(role.id, role.name) for role in choices.roles]
        )
    number = parse_page_number(request.params.get("page"))
    return {
        "project": project,
        "page": service.team_page(request.dbsession, project, number),
        "can_manage": can_manage,
        "choices": choices,
        "add_form": add_form,
    }


@view_config(
    route_name="projects.members",
    renderer="projects/team.jinja2",
    request_method="GET",
    permission=Permissions.READ_PROJECT,
)
def team_view(request):
    return _team_page(request, AddMemberForm())


@view_config(
    route_name="projects.members",
    renderer="projects/team.jinja2",
    request_method="POST",
    permission=Permissions.UPDATE_PROJECT,
)
def member_add_view(request):
    form = AddMemberForm(request.POST)

    def save():
        membership = service.add_member(
            request.dbsession,
            request.context.entity,
            user_id=form.user_id.data,
            role_id=form.role_id.data,
            rate=form.rate.data,
        )
        return (
            f"{membership.user.name} added to {request.context.entity.name}.",
            _team_url(request),
        )

    return submit_form(request, form, save) or _team_page(request, form)


def _after_member_change(request) -> HTTPSeeOther:
    """Back to the team page, or to the project list if the user may no longer see it."""
    project = request.context.entity
    studio = request.context.__parent__
    still_member = any(m.user_id == request.user.id for m in project.members)
    if still_member or request.has_permission(Permissions.READ_PROJECT, studio):
        return HTTPSeeOther(_team_url(request))
    return HTTPSeeOther(request.route_url("projects.list"))


@view_config(
    route_name="projects.members.update",
    request_method="POST",
    permission=Permissions.UPDATE_PROJECT,
)
def member_update_view(request):
    form = MemberForm(request.POST)
    if not form.validate():
        request.session.flash(" ".join(form.rate.errors), "error")
        return HTTPSeeOther(_team_url(request))
    try:
        membership = service.update_member(
            request.dbsession,
            request.context.entity,
            user_id=matched_id(request, "member_id"),
            role_id=form.role_id.data,
            rate=form.rate.data,
        )
    except ValidationError as error:
        request.session.flash(error.message, "error")
        return HTTPSeeOther(_team_url(request))
    role = membership.role.name if membership.role else "no role"
    request.session.flash(
        f"{membership.user.name} now has {role} at a rate of {membership.rate:g}."
    )
    return _after_member_change(request)


def _remove_url(request, user_id: int) -> str:
    return request.route_url(
        "projects.members.remove", project_id=request.context.entity.id, member_id=user_id
    )


@view_config(
    route_name="projects.members.remove",
    renderer="projects/member_remove.jinja2",
    request_method="GET",
    permission=Permissions.UPDATE_PROJECT,
)
def member_remove_confirm_view(request):
    """What removing a member changes (the tasks naming them), and the button that does it;
    a member with reviews to answer is not offered the button but told what to do."""
    project = request.context.entity
    try:
        summary = service.leaving_member(
            request.dbsession, project, user_id=matched_id(request, "member_id")
        )
    except ValidationError as error:
        request.session.flash(error.message, "error")
        return HTTPSeeOther(_team_url(request))
    return {
        "project": project,
        "summary": summary,
        "user": summary.user,
        "refusal": refusal(summary, project),
        "team_url": _team_url(request),
    }


@view_config(
    route_name="projects.members.remove",
    request_method="POST",
    permission=Permissions.UPDATE_PROJECT,
)
def member_remove_view(request):
    """Remove the member and take them off the project's tasks, once confirmed (a post without
    the confirmation, e.g. from an old page, shows the confirmation first)."""
    member_id = matched_id(request, "member_id")
    if request.POST.get("confirmed") != "yes":
        return HTTPSeeOther(_remove_url(request, member_id))
    project = request.context.entity
    try:
        removal = service.remove_member(request.dbsession, project, user_id=member_id)
    except ValidationError as error:
        request.session.flash(error.message, "error")
        return HTTPSeeOther(_team_url(request))
    message = f"{removal.user.name} removed from {project.name}"
    if removal.task_count:
        message += f" and taken off {removal.task_count} of its tasks (their time logs stay)"
    request.session.flash(message + ".")
    return _after_member_change(request)
