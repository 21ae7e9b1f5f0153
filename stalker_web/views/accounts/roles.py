"""Role pages: the list with how many memberships use each role, create, edit and delete.

What a role lets its holders manage is set by two flags; only holders of the right to update
permissions may change them (others see them read-only, and a forged change is refused).
"""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...forms import submit_form
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.accounts import roles as service
from ...services.errors import ValidationError
from .forms import RoleEditForm, RoleForm


def _may_set_flags(request) -> bool:
    return request.studio_permits(Permissions.UPDATE_PERMISSIONS)


def _flags(request, form: RoleForm) -> dict[str, bool | None]:
    """The submitted flags. Someone who may not change them is not shown them, so what they did
    not post keeps its value; what they did post goes to the service, which refuses a change."""
    may_set = _may_set_flags(request)
    return {
        flag: form[flag].data if may_set or flag in request.POST else None for flag in service.FLAGS
    }


def _form_page(request, form: RoleForm, role) -> dict:
    return {"form": form, "role": role, "may_set_flags": _may_set_flags(request)}


@view_config(
    route_name="roles.list",
    renderer="roles/list.jinja2",
    request_method="GET",
    permission=Permissions.LIST_ROLES,
)
def role_list_view(request):
    page, uses = service.role_page(request.dbsession, parse_page_number(request.params.get("page")))
    return {"page": page, "uses": uses, "no_use": service.RoleUse()}


@view_config(
    route_name="roles.create",
    renderer="roles/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_ROLE,
)
def role_create_view(request):
    form = RoleForm(request.POST)

    def save():
        role = service.create_role(
            request.dbsession,
            name=form.name.data,
            **_flags(request, form),
            may_set_flags=_may_set_flags(request),
        )
        return f"Role {role.name} created.", request.route_url("roles.list")

    return submit_form(request, form, save) or _form_page(request, form, None)


@view_config(
    route_name="roles.edit",
    renderer="roles/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_ROLE,
)
def role_edit_view(request):
    role = request.context.entity
    form = RoleEditForm(request.POST, obj=role)

    def save():
        service.update_role(
            request.dbsession,
            role,
            submitted_version=form.submitted_version(),
            name=form.name.data,
            **_flags(request, form),
            may_set_flags=_may_set_flags(request),
        )
        return f"Role {role.name} saved.", request.route_url("roles.list")

    return submit_form(request, form, save) or _form_page(request, form, role)


@view_config(
    route_name="roles.delete",
    request_method="POST",
    permission=Permissions.DELETE_ROLE,
)
def role_delete_view(request):
    role = request.context.entity
    name = role.name
    try:
        service.delete_role(request.dbsession, role)
    except ValidationError as error:
        request.session.flash(error.message, "error")
    else:
        request.session.flash(f"Role {name} deleted.")
    return HTTPSeeOther(request.route_url("roles.list"))
