"""Department pages: the list, create/edit/delete, and managing members and their roles."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...forms import select_choices, submit_form
from ...limits import query_text
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...resources import matched_id
from ...services.accounts import departments as service
from ...services.errors import ValidationError
from .forms import DepartmentMemberForm, MemberRoleForm, NameEditForm, NameForm


def _department_url(request) -> str:
    return request.route_url("departments.view", department_id=request.context.entity.id)


@view_config(
    route_name="departments.list",
    renderer="departments/list.jinja2",
    request_method="GET",
    permission=Permissions.LIST_DEPARTMENTS,
)
def department_list_view(request):
    search = query_text(request.params, "q")
    page = service.department_page(
        request.dbsession,
        search=search,
        number=parse_page_number(request.params.get("page")),
    )
    return {"page": page, "search": search}


@view_config(
    route_name="departments.create",
    renderer="departments/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_DEPARTMENT,
)
def department_create_view(request):
    form = NameForm(request.POST)

    def save():
        department = service.create_department(
            request.dbsession, name=form.name.data, description=form.description.data
        )
        return (
            f"Department {department.name} created.",
            request.route_url("departments.view", department_id=department.id),
        )

    return submit_form(request, form, save) or {"form": form, "department": None}


def _department_page(request, add_form: DepartmentMemberForm) -> dict:
    """What the department page renders; the add form gets the users and roles to choose from."""
    department = request.context.entity
    can_manage = bool(request.has_permission(Permissions.UPDATE_DEPARTMENT, request.context))
    roster = service.load_roster(request.dbsession, department, with_choices=can_manage)
    add_form.user_id.choices = select_choices(
        [("", "Choose a user")]
        + [(user.id, f"{user.name} ({user.login})") for user in roster.candidates]
    )
    add_form.role_id.choices = select_choices(
        [("", "No role")] + [(role.id, role.name) for role in roster.roles]
    )
    return {
        "department": department,
        "roster": roster,
        "can_manage": can_manage,
        "add_form": add_form,
    }


@view_config(
    route_name="departments.view",
    renderer="departments/view.jinja2",
    request_method="GET",
    permission=Permissions.READ_DEPARTMENT,
)
def department_view(request):
    return _department_page(request, DepartmentMemberForm())


@view_config(
    route_name="departments.edit",
    renderer="departments/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_DEPARTMENT,
)
def department_edit_view(request):
    department = request.context.entity
    form = NameEditForm(request.POST, obj=department)

    def save():
        service.update_department(
            request.dbsession,
            department,
            submitted_version=form.submitted_version(),
            name=form.name.data,
            description=form.description.data,
        )
        return f"Department {department.name} saved.", _department_url(request)

    return submit_form(request, form, save) or {"form": form, "department": department}


@view_config(
    route_name="departments.delete",
    request_method="POST",
    permission=Permissions.DELETE_DEPARTMENT,
)
def department_delete_view(request):
    department = request.context.entity
    name = department.name
    service.delete_department(request.dbsession, department)
    request.session.flash(f"Department {name} deleted; its members' accounts are kept.")
    return HTTPSeeOther(request.route_url("departments.list"))


@view_config(
    route_name="departments.members.add",
    renderer="departments/view.jinja2",
    request_method="POST",
    permission=Permissions.UPDATE_DEPARTMENT,
)
def member_add_view(request):
    form = DepartmentMemberForm(request.POST)

    def save():
        membership = service.add_member(
            request.dbsession,
            request.context.entity,
            user_id=form.user_id.data,
            role_id=form.role_id.data,
        )
        return (
            f"{membership.user.name} added to {request.context.entity.name}.",
            _department_url(request),
        )

    return submit_form(request, form, save) or _department_page(request, form)


def _after_member_change(request, member_id: int, new_role=None) -> HTTPSeeOther:
    """Back to the department page, unless the acting user just lost the right to see it.

    A manager who removes themselves or takes a role that does not manage departments, and holds
    no studio-wide right to read departments, goes to the department list (or home if they cannot
    list departments either).
    """
    studio = request.context.__parent__
    keeps_access = (
        member_id != request.user.id
        or (new_role is not None and new_role.manages_department)
        or request.has_permission(Permissions.READ_DEPARTMENT, studio)
    )
    if keeps_access:
        return HTTPSeeOther(_department_url(request))
    if request.has_permission(Permissions.LIST_DEPARTMENTS, studio):
        return HTTPSeeOther(request.route_url("departments.list"))
    return HTTPSeeOther(request.route_url("home"))


@view_config(
    route_name="departments.members.update",
    request_method="POST",
    permission=Permissions.UPDATE_DEPARTMENT,
)
def member_role_view(request):
    member_id = matched_id(request, "member_id")
    form = MemberRoleForm(request.POST)
    try:
        membership = service.change_member_role(
            request.dbsession, request.context.entity, user_id=member_id, role_id=form.role_id.data
        )
    except ValidationError as error:
        request.session.flash(error.message, "error")
        return HTTPSeeOther(_department_url(request))
    role = f"the role {membership.role.name}" if membership.role else "no role"
    request.session.flash(f"{membership.user.name} now has {role}.")
    return _after_member_change(request, member_id, membership.role)


@view_config(
    route_name="departments.members.remove",
    request_method="POST",
    permission=Permissions.UPDATE_DEPARTMENT,
)
def member_remove_view(request):
    member_id = matched_id(request, "member_id")
    try:
        user = service.remove_member(request.dbsession, request.context.entity, user_id=member_id)
    except ValidationError as error:
        request.session.flash(error.message, "error")
        return HTTPSeeOther(_department_url(request))
    request.session.flash(f"{user.name} removed from {request.context.entity.name}.")
    return _after_member_change(request, member_id)
