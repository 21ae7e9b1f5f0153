"""User pages: the filtered list and its CSV export, create, view, edit, deactivate and activate."""

import csv
import io

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config
from wtforms import (
    BooleanField,
    EmailField,
    FloatField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import EqualTo, InputRequired, Length, Optional

from ..forms import BaseForm, VersionedForm, optional_int, select_choices, submit_form
from ..pagination import parse_page_number
from ..permissions import Permissions
from ..resources import DepartmentResource, StudioRoot, may_hand_out_group
from ..services import user_directory
from ..services import users as service
from ..services.errors import ValidationError

TEXT_LENGTH = Length(
    max=service.TEXT_MAX_LENGTH, message=f"Use at most {service.TEXT_MAX_LENGTH} characters."
)
NUMBER_MESSAGE = "Enter a number such as 1 or 0.5."
PASSWORDS_DIFFER = "The two passwords differ; type the same password twice."


class UserForm(BaseForm):
    name = StringField("Name", [InputRequired("A name is required."), TEXT_LENGTH])
    login = StringField("Login", [InputRequired("A login is required."), TEXT_LENGTH])
    email = EmailField("E-mail", [InputRequired("An e-mail address is required."), TEXT_LENGTH])
    password = PasswordField("Password", [InputRequired("Choose a password.")])
    password_confirmation = PasswordField(
        "Repeat the password", [EqualTo("password", PASSWORDS_DIFFER)]
    )
    efficiency = FloatField("Efficiency", default=1.0, invalid_value_message=NUMBER_MESSAGE)
    rate = FloatField("Rate", default=0.0, invalid_value_message=NUMBER_MESSAGE)
    must_change_password = BooleanField("Must change the password at the next login", default=True)
    department_id = SelectField("Department", coerce=optional_int, validate_choice=False)
    role_id = SelectField("Role in the department", coerce=optional_int, validate_choice=False)
    group_ids = SelectMultipleField("Groups", coerce=int, validate_choice=False)


class UserEditForm(UserForm, VersionedForm):
    """The user form, carrying the version the page was loaded at; the password is optional."""

    password = PasswordField("New password", [Optional()])
    password_confirmation = PasswordField(
        "Repeat the new password", [EqualTo("password", PASSWORDS_DIFFER)]
    )


def _admin_group_name(request) -> str:
    return request.studio_config["accounts"]["admin_group"]


def _rights(request, departments=(), groups=()) -> service.AssignmentRights:
    """What the acting user may hand out: groups, the admin group, and which of ``departments``;
    which of ``groups`` grant rights the acting user lacks."""
    root = StudioRoot(request)
    allowed = frozenset(
        department.id
        for department in departments
        if request.has_permission(
            Permissions.UPDATE_DEPARTMENT, DepartmentResource(department, root)
        )
    )
    return service.AssignmentRights(
        admin_group_name=_admin_group_name(request),
        may_change_groups=bool(request.has_permission(Permissions.UPDATE_GROUP, root)),
        may_manage_admins=bool(request.has_permission(Permissions.UPDATE_PERMISSIONS, root)),
        withheld_group_ids=frozenset(
            group.id for group in groups if not may_hand_out_group(request, group)
        ),
        department_ids=allowed,
    )


def _offer_choices(request, form: UserForm) -> service.AssignmentRights:
    """Fill the form's choices with what the acting user may hand out; drop fields they may not."""
    choices = user_directory.form_choices(request.dbsession)
    rights = _rights(request, choices.departments, choices.groups)
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
            (group.id, group.name)
            for group in choices.groups
            if group.id not in rights.withheld_group_ids
        )
    else:
        del form.group_ids
    return rights


def _submitted(form: UserForm, name: str):
    """The data of field ``name``, or None when the form does not offer it."""
    return form[name].data if name in form else None


def _account_values(form: UserForm) -> dict:
    return {
        "name": form.name.data,
        "login": form.login.data,
        "email": form.email.data,
        "must_change_password": form.must_change_password.data,
        "efficiency": form.efficiency.data,
        "rate": form.rate.data,
        "group_ids": _submitted(form, "group_ids"),
        "department_id": _submitted(form, "department_id"),
        "role_id": _submitted(form, "role_id"),
    }


def _min_length(request) -> int:
    return int(request.studio_config["accounts"]["password_min_length"])


def _user_url(request, user) -> str:
    """The user's page, or the list (or home) if the acting user may not read users."""
    if request.studio_permits(Permissions.READ_USER) or user.id == request.user.id:
        return request.route_url("users.view", user_id=user.id)
    if request.studio_permits(Permissions.LIST_USERS):
        return request.route_url("users.list")
    return request.route_url("home")


def _filters(request) -> user_directory.UserFilters:
    state = request.params.get("state", "active")
    return user_directory.UserFilters(
        search=request.params.get("q", "").strip(),
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
    # The byte order mark lets spreadsheet programs read non-ASCII names as UTF-8.
    return Response(
        text="\ufeff" + buffer.getvalue(),
        content_type="text/csv",
        charset="utf-8",
        content_disposition="attachment; filename=users.csv",
    )


@view_config(
    route_name="users.create",
    renderer="users/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_USER,
)
def user_create_view(request):
    form = UserForm(request.POST)
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

    return submit_form(request, form, save) or {"form": form, "user": None}


@view_config(
    route_name="users.view",
    renderer="users/view.jinja2",
    request_method="GET",
    permission=Permissions.READ_USER,
)
def user_view(request):
    user = user_directory.load_user_details(request.dbsession, request.context.entity.id)
    return {"user": user, "admin_group": _admin_group_name(request)}


@view_config(
    route_name="users.edit",
    renderer="users/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_USER,
)
def user_edit_view(request):
    user = user_directory.load_user_details(request.dbsession, request.context.entity.id)
    form = UserEditForm(request.POST, obj=user, group_ids=[group.id for group in user.groups])
    rights = _offer_choices(request, form)

    def save():
        service.update_user(
            request.dbsession,
            user,
            **_account_values(form),
            submitted_version=form.submitted_version(),
            password=form.password.data,
            password_min_length=_min_length(request),
            rights=rights,
        )
        return f"User {user.name} saved.", _user_url(request, user)

    return submit_form(request, form, save) or {"form": form, "user": user}


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
