"""The top bar's admin links: the admin pages, each behind its studio right; and the unread
count of the inbox link."""

from .permissions import Permissions
from .resources import studio_permits
from .services.notifications.inbox import unread_count

# (permission, route name, label): one per admin page, in the order of the Admin menu.
ADMIN_LINKS = (
    (Permissions.LIST_USERS, "users.list", "Users"),
    (Permissions.LIST_DEPARTMENTS, "departments.list", "Departments"),
    (Permissions.LIST_GROUPS, "groups.list", "Groups"),
    (Permissions.LIST_ROLES, "roles.list", "Roles"),
    (Permissions.LIST_REPOSITORIES, "repositories.list", "Repositories"),
    (Permissions.LIST_TYPES, "types.list", "Pipeline steps"),
    (Permissions.LIST_STRUCTURES, "structures.list", "Structures"),
    (Permissions.READ_STUDIO, "studio.settings", "Studio settings"),
    (Permissions.LIST_WEBHOOKS, "webhooks.list", "Webhooks"),
    (Permissions.LIST_AUTHENTICATION_LOGS, "auth_log.list", "Authentication log"),
)


def admin_links(request) -> list[tuple[str, str]]:
    """The admin pages ``request``'s user may open, as ``(url, label)`` pairs."""
    return [
        (request.route_url(route), label)
        for permission, route, label in ADMIN_LINKS
        if studio_permits(request, permission)
    ]


def inbox_unread(request) -> int:
    """How many of the signed-in user's notifications are unread: one indexed count per page
    (the top bar's badge)."""
    return unread_count(request.dbsession, request.user.id) if request.user else 0
