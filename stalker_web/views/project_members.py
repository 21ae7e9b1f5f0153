"""A project's team page: every member with their role and rate, adding and removing members."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config
from wtforms import FloatField, SelectField
from wtforms.validators import Optional

from ..forms import BaseForm, optional_int, select_choices, submit_form
from ..pagination import parse_page_number
from ..permissions import Permissions
from ..services import projects as service
from ..services.errors import ValidationError
from .projects import NUMBER_MESSAGE


class AddMemberForm(BaseForm):
    user_id = SelectField("User", coerce=optional_int, validate_choice=False)
    role_id = SelectField("Role", coerce=optional_int, validate_choice=False)
    rate = FloatField("Rate", [Optional()], invalid_value_message=NUMBER_MESSAGE)


class MemberForm(BaseForm):
    role_id = SelectField("Role", coerce=optional_int, validate_choice=False)
    rate = FloatField("Rate", [Optional()], invalid_value_message=NUMBER_MESSAGE)


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
            user_id=int(request.matchdict["member_id"]),
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


@view_config(
    route_name="projects.members.remove",
    request_method="POST",
    permission=Permissions.UPDATE_PROJECT,
)
def member_remove_view(request):
    try:
        user = service.remove_member(
            request.dbsession, request.context.entity, user_id=int(request.matchdict["member_id"])
        )
    except ValidationError as error:
        request.session.flash(error.message, "error")
        return HTTPSeeOther(_team_url(request))
    request.session.flash(f"{user.name} removed from {request.context.entity.name}.")
    return _after_member_change(request)
