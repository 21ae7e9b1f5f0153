"""Role pages: the list with how many memberships use each role, create, rename and delete."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config
from wtforms import StringField
from wtforms.validators import InputRequired, Length

from ..forms import BaseForm, VersionedForm, submit_form
from ..pagination import parse_page_number
from ..permissions import Permissions
from ..services import roles as service
from ..services.errors import ValidationError
from ..services.names import NAME_MAX_LENGTH


class RoleForm(BaseForm):
    name = StringField("Name", [InputRequired("A name is required."), Length(max=NAME_MAX_LENGTH)])


class RoleEditForm(RoleForm, VersionedForm):
    """The role form, carrying the version the page was loaded at."""


def _manager_roles(request) -> list[str]:
    """The names of the roles whose holders manage their department (studio configuration)."""
    return request.studio_config["accounts"]["department_manager_roles"]


@view_config(
    route_name="roles.list",
    renderer="roles/list.jinja2",
    request_method="GET",
    permission=Permissions.LIST_ROLES,
)
def role_list_view(request):
    page, membership_counts = service.role_page(
        request.dbsession, parse_page_number(request.params.get("page"))
    )
    return {
        "page": page,
        "membership_counts": membership_counts,
        "manager_roles": _manager_roles(request),
    }


@view_config(
    route_name="roles.create",
    renderer="roles/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_ROLE,
)
def role_create_view(request):
    form = RoleForm(request.POST)

    def save():
        role = service.create_role(request.dbsession, name=form.name.data)
        return f"Role {role.name} created.", request.route_url("roles.list")

    return submit_form(request, form, save) or {
        "form": form,
        "role": None,
        "manager_roles": _manager_roles(request),
    }


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
        )
        return f"Role {role.name} saved.", request.route_url("roles.list")

    return submit_form(request, form, save) or {
        "form": form,
        "role": role,
        "manager_roles": _manager_roles(request),
    }


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
