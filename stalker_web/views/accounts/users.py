"""User pages: the filtered list and its CSV export, create, view, edit, deactivate and activate."""

import csv
import io

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...forms import optional_int, select_choices, submit_form
from ...limits import query_text
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...resources import DepartmentResource, StudioRoot
from ...security import forget_rights
from ...services.accounts import directory as user_directory
from ...services.accounts import users as service
from ...services.accounts.studio_rights import reach_refusal
from ...services.errors import ValidationError
from ..common import acting_rights, admin_group_name, csv_response
from .forms import UserEditForm, UserForm

PASSWORD_FIELDS = ("password", "password_confirmation", "must_change_password")
# What someone holding a right the acting user lacks keeps out of their reach.
GUARDED = "change the password, groups or activation of"


def _rights(request, departments=()) -> service.AssignmentRights:
    """What the acting user holds studio-wide, and to which of ``departments`` they may add
    people."""
    root = StudioRoot(request)
    allowed = frozenset(
        department.id
        for department in departments
        if request.has_permission(
            Permissions.UPDATE_DEPARTMENT, DepartmentResource(department, root)
        )
    )
    return service.AssignmentRights(
        admin_group_name=admin_group_name(request),
        acting_user_id=request.user.id,
        held=acting_rights(request),
        department_ids=allowed,
    )


def _offer_choices(request, form: UserForm) -> service.AssignmentRights:
    """Fill the form's choices with what the acting user may hand out; drop fields they may not."""
    choices = user_directory.form_choices(request.dbsession)
    rights = _rights(request, choices.departments)
    if rights.department_ids:
        form.department_id.choices = select_choices(
            [("", "No department")]
            + [
                (department.id, department.name)
                for department in choices.departments
                if department.id in rights.department_ids
            ]
        )
        form.role_id.choices = select_choices(
            [("", "No role")] + [(role.id, role.name) for role in choices.roles]
        )
    else:
        del form.department_id
        del form.role_id
    if rights.may_change_groups:
        form.group_ids.choices = select_choices(
            (group.id, group.name) for group in choices.groups if rights.may_hand_out(group)
        )
    else:
        del form.group_ids
    return rights


def _submitted(form: UserForm, name: str, request=None, hidden=()):
    """The data of field ``name``, or None when the form does not offer it, or does not show it
    (``hidden``) and the request did not post it anyway."""
    if name not in form or (name in hidden and name not in request.POST):
        return None
    return form[name].data


def _account_values(form: UserForm, request=None, hidden=()) -> dict:
    """What the form submits; fields in ``hidden`` count only when posted (the service refuses
    what the acting user may not change)."""
    return {
        "name": form.name.data,
        "login": form.login.data,
        "email": form.email.data,
        "must_change_password": _submitted(form, "must_change_password", request, hidden),
        "efficiency": form.efficiency.data,
        "rate": form.rate.data,
        "available_from": form.available_from.data,
        "available_until": form.available_until.data,
        "group_ids": _submitted(form, "group_ids", request, hidden),
        "department_id": _submitted(form, "department_id"),
        "role_id": _submitted(form, "role_id"),
    }


def _locked_fields(request, user, rights: service.AssignmentRights) -> tuple[str | None, set]:
    """Why the acting user may not change ``user``'s password, groups and activation (or None),
    and which fields the edit form therefore does not show."""
    if user.id == request.user.id:
        return None, {"password", "password_confirmation"}
    refusal = reach_refusal(rights.held, user, GUARDED, rights.admin_group_name)
    if refusal is None:
        return None, set()
    return refusal, {*PASSWORD_FIELDS, "group_ids"}


def _min_length(request) -> int:
    return int(request.studio_config["accounts"]["password_min_length"])


def _user_url(request, user) -> str:
    """The user's page, or the list (or home) if the acting user may not read users."""
    forget_rights(request)  # the acting user may just have changed their own groups
    if request.studio_permits(Permissions.READ_USER) or user.id == request.user.id:
        return request.route_url("users.view", user_id=user.id)
    if request.studio_permits(Permissions.LIST_USERS):
        return request.route_url("users.list")
    return request.route_url("home")


def _filters(request) -> user_directory.UserFilters:
    state = request.params.get("state", "active")
    return user_directory.UserFilters(
        search=query_text(request.params, "q"),
        department_id=optional_int(request.params.get("department_id")),
        group_id=optional_int(request.params.get("group_id")),
        state=state if state in user_directory.STATES else "active",
    )


@view_config(
    route_name="users.list",
    renderer="users/list.jinja2",
    request_method="GET",
    permission=Permissions.LIST_USERS,
)
def user_list_view(request):
    filters = _filters(request)
    page = user_directory.user_page(
        request.dbsession, filters, parse_page_number(request.params.get("page"))
    )
    return {
        "page": page,
        "filters": filters,
        "choices": user_directory.form_choices(request.dbsession),
        "states": user_directory.STATES,
    }


@view_config(
    route_name="users.export",
    request_method="GET",
    permission=Permissions.LIST_USERS,
)
def user_export_view(request):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(user_directory.export_rows(request.dbsession, _filters(request)))
    return csv_response(buffer.getvalue(), "users.csv")


@view_config(
    route_name="users.create",
    renderer="users/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_USER,
)
def user_create_view(request):
    form = UserForm(request.POST, time_zone=request.time_zone)
    rights = _offer_choices(request, form)

    def save():
        user = service.create_user(
            request.dbsession,
            **_account_values(form),
            password=form.password.data,
            password_min_length=_min_length(request),
            rights=rights,
        )
        return f"User {user.name} created with the login {user.login}.", _user_url(request, user)

    return submit_form(request, form, save) or {
        "form": form,
        "user": None,
        "hidden": set(),
        "out_of_reach": None,
    }


@view_config(
    route_name="users.view",
    renderer="users/view.jinja2",
    request_method="GET",
    permission=Permissions.READ_USER,
)
def user_view(request):
    user = user_directory.load_user_details(request.dbsession, request.context.entity.id)
    return {"user": user, "admin_group": admin_group_name(request)}


@view_config(
    route_name="users.edit",
    renderer="users/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_USER,
)
def user_edit_view(request):
    user = user_directory.load_user_details(request.dbsession, request.context.entity.id)
    form = UserEditForm(
        request.POST,
        obj=user,
        group_ids=[group.id for group in user.groups],
        time_zone=request.time_zone,
    )
    rights = _offer_choices(request, form)
    out_of_reach, hidden = _locked_fields(request, user, rights)

    def save():
        service.update_user(
            request.dbsession,
            user,
            **_account_values(form, request, hidden),
            submitted_version=form.submitted_version(),
            password=form.password.data,
            password_min_length=_min_length(request),
            rights=rights,
        )
        return f"User {user.name} saved.", _user_url(request, user)

    saved = submit_form(request, form, save)
    if saved is not None:
        return saved
    for name in sorted(hidden):
        # A refused change of a field the page does not show is told at the top of the form.
        if name in form:
            form.form_errors += form[name].errors
    return {"form": form, "user": user, "hidden": hidden, "out_of_reach": out_of_reach}


def _set_active(request, active: bool) -> HTTPSeeOther:
    user = request.context.entity
    try:
        service.set_user_active(
            request.dbsession,
            user,
            active=active,
            acting_user_id=request.user.id,
            rights=_rights(request),
        )
    except ValidationError as error:
        request.session.flash(error.message, "error")
    else:
        if active:
            request.session.flash(f"{user.name} is active again and can log in.")
        else:
            request.session.flash(f"{user.name} is deactivated and can no longer log in.")
    return HTTPSeeOther(_user_url(request, user))


@view_config(
    route_name="users.deactivate", request_method="POST", permission=Permissions.UPDATE_USER
)
def user_deactivate_view(request):
    return _set_active(request, active=False)


@view_config(route_name="users.activate", request_method="POST", permission=Permissions.UPDATE_USER)
def user_activate_view(request):
    return _set_active(request, active=True)
