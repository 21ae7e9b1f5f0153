"""Group pages: the list, create/edit/delete, and adding and removing members."""

from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.view import view_config

from ...forms import select_choices, submit_form
from ...models.permission import ACTIONS
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...resources import matched_id, may_hand_out_group
from ...security import forget_rights
from ...services.accounts import groups as service
from ...services.accounts.studio_rights import reach_refusal
from ...services.errors import ValidationError
from ..common import acting_rights, admin_group_name
from .forms import GroupMemberForm, NameEditForm, NameForm


def _is_admin_group(request) -> bool:
    return service.is_admin_group(request.context.entity, admin_group_name(request))


def _may_change_members(request) -> bool:
    """Update rights on the group, plus every right its membership grants (all for admins)."""
    return bool(
        request.has_permission(Permissions.UPDATE_GROUP, request.context)
    ) and may_hand_out_group(request, request.context.entity)


def _require_member_rights(request) -> None:
    if not _may_change_members(request):
        raise HTTPForbidden(
            "Changing this group's members needs every right the group grants or denies "
            "(for the admin group, the right to update permissions)."
        )


def _group_url(request) -> str:
    return request.route_url("groups.view", group_id=request.context.entity.id)


@view_config(
    route_name="groups.list",
    renderer="groups/list.jinja2",
    request_method="GET",
    permission=Permissions.LIST_GROUPS,
)
def group_list_view(request):
    page = service.group_page(request.dbsession, parse_page_number(request.params.get("page")))
    return {"page": page, "admin_group": admin_group_name(request)}


@view_config(
    route_name="groups.create",
    renderer="groups/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_GROUP,
)
def group_create_view(request):
    form = NameForm(request.POST)

    def save():
        group = service.create_group(
            request.dbsession, name=form.name.data, description=form.description.data
        )
        return f"Group {group.name} created.", request.route_url("groups.view", group_id=group.id)

    return submit_form(request, form, save) or {
        "form": form,
        "group": None,
        "is_admin_group": False,
    }


def _group_page(request, add_form: GroupMemberForm) -> dict:
    """What the group page renders; the add form gets the users who could join."""
    group = request.context.entity
    can_change_members = _may_change_members(request)
    roster = service.load_roster(request.dbsession, group, with_candidates=can_change_members)
    held, admin_group = acting_rights(request), admin_group_name(request)
    reachable = {
        user.id
        for user in roster.members + roster.candidates
        if can_change_members and reach_refusal(held, user, "", admin_group) is None
    }
    add_form.user_id.choices = select_choices(
        [("", "Choose a user")]
        + [
            (user.id, f"{user.name} ({user.login})")
            for user in roster.candidates
            if user.id in reachable
        ]
    )
    permission_rows = sorted(
        group.permissions,
        key=lambda row: (row.class_name, ACTIONS.index(row.action), row.access),
    )
    return {
        "group": group,
        "roster": roster,
        "add_form": add_form,
        "can_change_members": can_change_members,
        "reachable": reachable,
        "is_admin_group": _is_admin_group(request),
        "permission_rows": permission_rows,
    }


@view_config(
    route_name="groups.view",
    renderer="groups/view.jinja2",
    request_method="GET",
    permission=Permissions.READ_GROUP,
)
def group_view(request):
    return _group_page(request, GroupMemberForm())


@view_config(
    route_name="groups.edit",
    renderer="groups/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_GROUP,
)
def group_edit_view(request):
    group = request.context.entity
    form = NameEditForm(request.POST, obj=group)

    def save():
        service.update_group(
            request.dbsession,
            group,
            submitted_version=form.submitted_version(),
            name=form.name.data,
            description=form.description.data,
            admin_group_name=admin_group_name(request),
        )
        return f"Group {group.name} saved.", _group_url(request)

    return submit_form(request, form, save) or {
        "form": form,
        "group": group,
        "is_admin_group": _is_admin_group(request),
    }


@view_config(
    route_name="groups.delete",
    request_method="POST",
    permission=Permissions.DELETE_GROUP,
)
def group_delete_view(request):
    group = request.context.entity
    name = group.name
    try:
        service.delete_group(request.dbsession, group, admin_group_name=admin_group_name(request))
    except ValidationError as error:
        request.session.flash(error.message, "error")
        return HTTPSeeOther(_group_url(request))
    request.session.flash(f"Group {name} deleted; its members keep their accounts.")
    return HTTPSeeOther(request.route_url("groups.list"))


@view_config(
    route_name="groups.members.add",
    renderer="groups/view.jinja2",
    request_method="POST",
    permission=Permissions.UPDATE_GROUP,
)
def member_add_view(request):
    _require_member_rights(request)
    form = GroupMemberForm(request.POST)

    def save():
        user = service.add_member(
            request.dbsession,
            request.context.entity,
            user_id=form.user_id.data,
            actor=acting_rights(request),
            admin_group_name=admin_group_name(request),
        )
        return f"{user.name} added to {request.context.entity.name}.", _group_url(request)

    return submit_form(request, form, save) or _group_page(request, form)


@view_config(
    route_name="groups.members.remove",
    request_method="POST",
    permission=Permissions.UPDATE_GROUP,
)
def member_remove_view(request):
    _require_member_rights(request)
    group = request.context.entity
    try:
        user = service.remove_member(
            request.dbsession,
            group,
            user_id=matched_id(request, "member_id"),
            actor=acting_rights(request),
            admin_group_name=admin_group_name(request),
        )
    except ValidationError as error:
        request.session.flash(error.message, "error")
        return HTTPSeeOther(_group_url(request))
    request.session.flash(f"{user.name} removed from {group.name}.")
    # Someone who removed themselves may have lost the right to see the group.
    forget_rights(request)
    if request.has_permission(Permissions.READ_GROUP, request.context):
        return HTTPSeeOther(_group_url(request))
    if request.has_permission(Permissions.LIST_GROUPS, request.context):
        return HTTPSeeOther(request.route_url("groups.list"))
    return HTTPSeeOther(request.route_url("home"))
