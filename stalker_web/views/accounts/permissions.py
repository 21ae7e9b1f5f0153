"""Permission pages: the matrix editor of a group, and a user's effective and own permissions."""

from collections.abc import Mapping

from pyramid.view import view_config

from ...forms import submit_form
from ...permissions import Permissions
from ...services.accounts import permission_matrix as service
from ...services.accounts.studio_rights import every_right, reach_refusal
from ..common import acting_rights, admin_group_name
from .forms import MatrixForm

# Matrix cells are posted as ``cell.<ClassName>.<Action>`` = "" | "Allow" | "Deny"
# (see templates/groups/matrix.jinja2).
CELL_PREFIX = "cell."


def submitted_cells(formdata: Mapping[str, str]) -> dict[service.Cell, str]:
    """The posted cells by ``(class_name, action)``; the service refuses unknown ones."""
    cells = {}
    for key, value in formdata.items():
        if key.startswith(CELL_PREFIX):
            class_name, _dot, action = key.removeprefix(CELL_PREFIX).partition(".")
            cells[(class_name, action)] = value
    return cells


def _locked_rights(request) -> frozenset[str]:
    """The rights whose cells the acting user may not change (they do not hold them); the
    matrix shows those cells read-only and posts their current value."""
    return every_right() - acting_rights(request).allowed


def _group_page(request, form: MatrixForm, matrix: service.PermissionMatrix) -> dict:
    group = request.context.entity
    return {
        "group": group,
        "form": form,
        "matrix": matrix,
        "is_admin_group": group.name == admin_group_name(request),
        "can_edit": bool(request.has_permission(Permissions.UPDATE_PERMISSIONS, request.context)),
        "locked_rights": _locked_rights(request),
        "matrix_note": None,
    }


@view_config(
    route_name="groups.permissions",
    renderer="groups/permissions.jinja2",
    request_method="GET",
    permission=Permissions.READ_PERMISSIONS,
)
def group_permissions_view(request):
    group = request.context.entity
    return _group_page(request, MatrixForm(obj=group), service.matrix_of(group))


@view_config(
    route_name="groups.permissions",
    renderer="groups/permissions.jinja2",
    request_method="POST",
    permission=Permissions.UPDATE_PERMISSIONS,
)
def group_permissions_save_view(request):
    group = request.context.entity
    form = MatrixForm(request.POST)
    cells = submitted_cells(request.POST)

    def save():
        service.set_group_permissions(
            request.dbsession,
            group,
            submitted_version=form.submitted_version(),
            cells=cells,
            actor=acting_rights(request),
        )
        return (
            f"Permissions of {group.name} saved.",
            request.route_url("groups.view", group_id=group.id),
        )

    return submit_form(request, form, save) or _group_page(
        request, form, service.matrix_from_cells(cells)
    )


def _user_page(request, form: MatrixForm, matrix: service.PermissionMatrix | None) -> dict:
    user = service.load_user(request.dbsession, request.context.entity.id)
    can_edit = bool(request.has_permission(Permissions.UPDATE_PERMISSIONS, request.context))
    out_of_reach = None
    if can_edit:
        out_of_reach = reach_refusal(
            acting_rights(request), user, "change the permissions of", admin_group_name(request)
        )
    return {
        "user": user,
        "form": form,
        "matrix": service.matrix_of(user) if matrix is None else matrix,
        "effective": service.effective_permissions(user, admin_group_name(request)),
        "admin_group": admin_group_name(request),
        "can_edit": can_edit and out_of_reach is None,
        "locked_rights": _locked_rights(request),
        "matrix_note": out_of_reach,
    }


@view_config(
    route_name="users.permissions",
    renderer="users/permissions.jinja2",
    request_method="GET",
    permission=Permissions.READ_PERMISSIONS,
)
def user_permissions_view(request):
    return _user_page(request, MatrixForm(obj=request.context.entity), None)


@view_config(
    route_name="users.permissions",
    renderer="users/permissions.jinja2",
    request_method="POST",
    permission=Permissions.UPDATE_PERMISSIONS,
)
def user_permissions_save_view(request):
    user = request.context.entity
    form = MatrixForm(request.POST)
    cells = submitted_cells(request.POST)

    def save():
        service.set_user_permissions(
            request.dbsession,
            user,
            submitted_version=form.submitted_version(),
            cells=cells,
            acting_user_id=request.user.id,
            actor=acting_rights(request),
            admin_group_name=admin_group_name(request),
        )
        return (
            f"Own permissions of {user.name} saved.",
            request.route_url("users.permissions", user_id=user.id),
        )

    return submit_form(request, form, save) or _user_page(
        request, form, service.matrix_from_cells(cells)
    )
