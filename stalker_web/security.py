"""Authentication and authorization: session identity → principals → ACL decisions.

Principals of a logged-in user: ``user:<id>``, ``group:<id>`` for each group and
``department:<id>:<role name>`` for each department membership with a role, and
``project:<id>:member`` plus ``project:<id>:<role name>`` for each project membership. The
studio-wide ACL (see :func:`studio_acl`) is built from the Permission rows of the user and of the
user's groups; resources further down add object-level entries (e.g. department and project leads).
"""

import hashlib

from pyramid.authentication import SessionAuthenticationHelper
from pyramid.authorization import ALL_PERMISSIONS, ACLHelper, Allow, Authenticated, Everyone
from pyramid.events import ContextFound
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.interfaces import ISecurityPolicy
from pyramid.security import remember
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from zope.interface import implementer

from .db import set_current_user
from .models import DepartmentUser, Group, ProjectUser, User
from .permissions import Permissions

SESSION_USER_KEY = "auth.userid"
SESSION_CREDENTIALS_KEY = "auth.credentials"


def credentials_fingerprint(user: User) -> str:
    """A short digest of the password hash: a new password ends the sessions opened before it."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def remember_user(request, user: User) -> list:
    """Log ``user`` in on this session; returns the headers to send with the response."""
    headers = remember(request, user.id)
    request.session[SESSION_CREDENTIALS_KEY] = credentials_fingerprint(user)
    return headers


def load_user(request) -> User | None:
    """The active user of this session, with what authorization needs, or None."""
    user_id = request.session.get(SESSION_USER_KEY)
    if user_id is None:
        return None
    user = request.dbsession.scalars(
        select(User)
        .where(User.id == user_id, User.is_active.is_(True))
        .options(
            selectinload(User.permissions),
            selectinload(User.groups).selectinload(Group.permissions),
            selectinload(User.department_memberships).joinedload(DepartmentUser.role),
            selectinload(User.project_memberships).joinedload(ProjectUser.role),
        )
        # Rights are read afresh on every request, even from a session that already holds them.
        .execution_options(populate_existing=True)
    ).one_or_none()
    if user is None:
        return None
    if request.session.get(SESSION_CREDENTIALS_KEY) != credentials_fingerprint(user):
        return None
    set_current_user(request.dbsession, user.id)
    return user


def principals_for(user: User | None) -> list[str]:
    """Every principal the given user acts as (anonymous users are only Everyone)."""
    if user is None:
        return [Everyone]
    principals = [Everyone, Authenticated, user.principal]
    principals += [group.principal for group in user.groups]
    principals += [
        department_principal(membership.department_id, membership.role.name)
        for membership in user.department_memberships
        if membership.role is not None
    ]
    for membership in user.project_memberships:
        principals.append(project_principal(membership.project_id, "member"))
        if membership.role is not None:
            principals.append(project_principal(membership.project_id, membership.role.name))
    return principals


def project_principal(project_id: int, role_name: str) -> str:
    return f"project:{project_id}:{role_name.lower()}"


def department_principal(department_id: int, role_name: str) -> str:
    return f"department:{department_id}:{role_name.lower()}"


def studio_acl(user: User | None, admin_group_name: str) -> list[tuple]:
    """The studio-wide ACL as it concerns ``user``; the first matching entry decides.

    Order: the user's own entries (Deny before Allow), then everything for members of the admin
    group, then the groups' Deny entries, then the groups' Allow entries. So a user-level entry
    overrides the groups, an admin cannot be restricted by another group, and among groups a
    Deny wins.
    """
    acl: list[tuple] = [
        (Allow, Authenticated, (Permissions.VIEW, Permissions.EDIT_PROFILE)),
    ]
    if user is None:
        return acl
    group_entries = [entry for group in user.groups for entry in group.__acl__]
    admin_entries = [
        (Allow, group.principal, ALL_PERMISSIONS)
        for group in user.groups
        if group.name == admin_group_name
    ]
    return (
        user.__acl__
        + admin_entries
        + [entry for entry in group_entries if entry[0] == "Deny"]
        + [entry for entry in group_entries if entry[0] == "Allow"]
        + acl
    )


@implementer(ISecurityPolicy)
class SecurityPolicy:
    """Session-cookie identity and ACL authorization, the one policy of the application."""

    def __init__(self) -> None:
        self.session_helper = SessionAuthenticationHelper(prefix="auth.")
        self.acl_helper = ACLHelper()

    def identity(self, request) -> User | None:
        return request.user

    def authenticated_userid(self, request) -> int | None:
        user = request.user
        return None if user is None else user.id

    def permits(self, request, context, permission):
        return self.acl_helper.permits(context, principals_for(request.user), permission)

    def remember(self, request, userid, **kw):
        return self.session_helper.remember(request, userid, **kw)

    def forget(self, request, **kw):
        return self.session_helper.forget(request, **kw)


PASSWORD_CHANGE_EXEMPT_ROUTES = frozenset({"profile.password", "logout", "login"})


def require_password_change(event) -> None:
    """Send a user who must change their password to that form before anything else."""
    request = event.request
    route = request.matched_route
    if route is None or route.name in PASSWORD_CHANGE_EXEMPT_ROUTES:
        return
    user = request.user
    if user is not None and user.must_change_password:
        raise HTTPSeeOther(request.route_url("profile.password"))


def includeme(config) -> None:
    """Install the policy, the default permission, CSRF checks and ``request.user``."""
    config.set_security_policy(SecurityPolicy())
    config.set_default_permission(Permissions.VIEW)
    config.set_default_csrf_options(require_csrf=True)
    config.add_request_method(load_user, "user", reify=True)
    config.add_request_method("stalker_web.resources.studio_permits", "studio_permits")
    config.add_request_method("stalker_web.resources.department_permits", "department_permits")
    config.add_subscriber(require_password_change, ContextFound)
