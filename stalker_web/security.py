"""Authentication and authorization: session identity → principals → ACL decisions.

Principals of a logged-in user: ``user:<id>``, ``group:<id>`` for each group,
``department:<id>:member`` for each department membership and ``project:<id>:member`` for each
project membership, plus ``department:<id>:manager`` / ``project:<id>:manager`` where the
membership's role has the ``manages_department`` / ``manages_project`` flag. The
studio-wide ACL (see :func:`studio_acl`) is built from the Permission rows of the user and of the
user's groups; resources further down add object-level entries (e.g. department and project leads).
"""

from pyramid.authorization import (
    ALL_PERMISSIONS,
    ACLHelper,
    Allow,
    Authenticated,
    Everyone,
)
from pyramid.events import ContextFound
from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.interfaces import ISecurityPolicy
from pyramid.security import Denied, remember
from zope.interface import implementer

from .db import set_current_user
from .models import ApiToken, TokenScope, User, UserSession
from .permissions import Permissions
from .services.accounts.api_tokens import token_for_secret
from .services.accounts.sessions import SessionLimits, live_session, revoke_session, start_session
from .services.accounts.user_rights import UserRights, load_user_rights

# Requests under this path are the API's: a token signs them in, never the cookie.
API_PREFIX = "/api/"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
# The one thing the signed cookie says about who is logged in: the token of a server-side session.
SESSION_TOKEN_KEY = "auth.token"  # noqa: S105 - a session key, not a secret


def remember_user(request, user: User) -> list:
    """Log ``user`` in on this browser: start a server-side session and keep its token in the
    cookie; returns the headers to send with the response."""
    return remember(request, user.id)


def is_api_request(request) -> bool:
    """Whether the request is one of the API's (``/api/``): those sign in with a token only."""
    return request.path_info.startswith(API_PREFIX)


def load_api_token(request) -> ApiToken | None:
    """The live API token of an API request (``Authorization: Bearer <secret>``), its user
    loaded, or None (another request, no header, or a token that does not sign in)."""
    if not is_api_request(request):
        return None
    kind, _, secret = request.headers.get("Authorization", "").partition(" ")
    if kind.lower() != "bearer" or not secret.strip():
        return None
    return token_for_secret(request.dbsession, secret.strip())


def load_user_session(request) -> UserSession | None:
    """The live server-side session of this browser, its user loaded, or None.
    The API never reads the cookie: a request there signs in with a token or not at all."""
    if is_api_request(request):
        return None
    token = request.session.get(SESSION_TOKEN_KEY)
    if not token:
        return None
    limits = SessionLimits.from_config(request.studio_config["accounts"])
    return live_session(request.dbsession, token, limits)


def load_user(request) -> User | None:
    """The active user of this session (or of the API request's token), or None."""
    record = request.api_token if is_api_request(request) else request.user_session
    if record is None:
        return None
    set_current_user(request.dbsession, record.user_id)
    return record.user


def load_request_rights(request) -> UserRights | None:
    """What authorization needs of the acting user (None when anonymous), read afresh once per
    request in one query, as plain values: the user's relationships are never loaded for it."""
    user = request.user
    return None if user is None else load_user_rights(request.dbsession, user.id)


def load_principals(request) -> tuple[str, ...]:
    """The principals of the acting user, worked out once per request."""
    return tuple(principals_for(request.user_rights))


def forget_rights(request) -> None:
    """Make this request read the acting user's rights again, after a change of their own
    groups or memberships that the rest of the request must see."""
    for name in ("user_rights", "principals", "studio_acl"):
        request.__dict__.pop(name, None)


def load_studio_acl(request) -> tuple[tuple, ...]:
    """The studio-wide ACL of the acting user, worked out once per request."""
    admin_group = request.studio_config["accounts"]["admin_group"]
    return tuple(studio_acl(request.user_rights, admin_group))


def principals_for(rights: UserRights | None) -> list[str]:
    """Every principal the user of ``rights`` acts as (anonymous users are only Everyone)."""
    if rights is None:
        return [Everyone]
    principals = [Everyone, Authenticated, rights.principal]
    principals += [group.principal for group in rights.groups]
    # What a role lets its holders manage is in its flags, never its name: a rename moves nothing.
    for membership in rights.departments:
        principals.append(department_principal(membership.id, "member"))
        if membership.manages:
            principals.append(department_principal(membership.id, "manager"))
    for membership in rights.projects:
        principals.append(project_principal(membership.id, "member"))
        if membership.manages:
            principals.append(project_principal(membership.id, "manager"))
    return principals


def project_principal(project_id: int, standing: str) -> str:
    """``project:<id>:member`` or ``project:<id>:manager`` (``standing`` is either word)."""
    return f"project:{project_id}:{standing}"


def department_principal(department_id: int, standing: str) -> str:
    """``department:<id>:member`` or ``department:<id>:manager``."""
    return f"department:{department_id}:{standing}"


def studio_acl(rights: UserRights | None, admin_group_name: str) -> list[tuple]:
    """The studio-wide ACL as it concerns the user of ``rights``; the first matching entry
    decides.

    Order: the user's own entries (Deny before Allow), then everything for members of the admin
    group, then the groups' Deny entries, then the groups' Allow entries. So a user-level entry
    overrides the groups, an admin cannot be restricted by another group, and among groups a
    Deny wins.
    """
    acl: list[tuple] = [
        (Allow, Authenticated, (Permissions.VIEW, Permissions.EDIT_PROFILE)),
    ]
    if rights is None:
        return acl
    own_entries = [
        (row.access, rights.principal, row.permission_name) for row in rights.own_permissions
    ]
    group_entries = [
        (row.access, f"group:{row.group_id}", row.permission_name)
        for row in rights.group_permissions
    ]
    admin_entries = [
        (Allow, group.principal, ALL_PERMISSIONS)
        for group in rights.groups
        if group.name == admin_group_name
    ]
    return (
        [entry for entry in own_entries if entry[0] == "Deny"]
        + [entry for entry in own_entries if entry[0] == "Allow"]
        + admin_entries
        + [entry for entry in group_entries if entry[0] == "Deny"]
        + [entry for entry in group_entries if entry[0] == "Allow"]
        + acl
    )


@implementer(ISecurityPolicy)
class SecurityPolicy:
    """Server-side session identity and ACL authorization, the one policy of the application."""

    def __init__(self) -> None:
        self.acl_helper = ACLHelper()

    def identity(self, request) -> User | None:
        return request.user

    def authenticated_userid(self, request) -> int | None:
        user = request.user
        return None if user is None else user.id

    def permits(self, request, context, permission):
        token = getattr(request, "api_token", None)  # requests outside the app have none
        if token is not None and token.scope is TokenScope.READ and request.method not in SAFE:
            return Denied("This API token may only read: make a read and write token to change.")
        return self.acl_helper.permits(context, request.principals, permission)

    def remember(self, request, userid, **kw):
        """Start a session of ``userid`` from this browser; its token goes into the cookie."""
        _record, token = start_session(
            request.dbsession,
            userid,
            remote_addr=request.client_addr or "",
            user_agent=request.user_agent or "",
        )
        request.session[SESSION_TOKEN_KEY] = token
        return []

    def forget(self, request, **kw):
        """End this browser's session on the server, so a saved cookie no longer logs in."""
        record = request.user_session
        if record is not None:
            revoke_session(request.dbsession, record.id)
        request.session.pop(SESSION_TOKEN_KEY, None)
        return []


PASSWORD_CHANGE_EXEMPT_ROUTES = frozenset({"profile.password", "logout", "login", "status_colours"})


def require_password_change(event) -> None:
    """Send a user who must change their password to that form before anything else."""
    request = event.request
    route = request.matched_route
    # Static files ("__static/") are served to anyone: the password page needs its stylesheet.
    if route is None or route.name in PASSWORD_CHANGE_EXEMPT_ROUTES or route.name.startswith("__"):
        return
    user = request.user
    if user is not None and user.must_change_password:
        if is_api_request(request):
            raise HTTPForbidden("Change your password in the browser first; then the API answers.")
        raise HTTPSeeOther(request.route_url("profile.password"))


def includeme(config) -> None:
    """Install the policy, the default permission, CSRF checks and ``request.user``."""
    config.set_security_policy(SecurityPolicy())
    config.set_default_permission(Permissions.VIEW)
    config.set_default_csrf_options(require_csrf=True)
    config.include("stalker_web.csrf_tokens")
    config.add_request_method(load_api_token, "api_token", reify=True)
    config.add_request_method(load_user_session, "user_session", reify=True)
    config.add_request_method(load_user, "user", reify=True)
    config.add_request_method(load_request_rights, "user_rights", reify=True)
    config.add_request_method(load_principals, "principals", reify=True)
    config.add_request_method(load_studio_acl, "studio_acl", reify=True)
    config.add_request_method("stalker_web.resources.studio_permits", "studio_permits")
    config.add_request_method("stalker_web.resources.department_permits", "department_permits")
    config.add_subscriber(require_password_change, ContextFound)
    config.add_subscriber(
        "stalker_web.views.accounts.two_factor.require_admin_two_factor", ContextFound
    )
