"""My inbox: my notifications newest first, marking one or all of them read."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...limits import query_int
from ...permissions import Permissions
from ...services.notifications.inbox import inbox_page, mark_all_read, mark_read, unread_count
from ..common import next_url, refuse_and_go
from .forms import MarkReadForm


def _inbox_url(request) -> str:
    return request.route_url("inbox")


@view_config(
    route_name="inbox",
    renderer="notifications/inbox.jinja2",
    request_method="GET",
    permission=Permissions.VIEW,
)
def inbox_view(request):
    """My notifications, a page at a time (``?before=``/``?after=``), or only the unread."""
    unread_only = request.GET.get("unread") == "1"
    page = inbox_page(
        request.dbsession,
        request.user,
        unread_only=unread_only,
        before=query_int(request.GET, "before"),
        after=query_int(request.GET, "after"),
    )
    return {
        "page": page,
        "unread_only": unread_only,
        "unread": unread_count(request.dbsession, request.user.id),
    }


@view_config(route_name="inbox.read", request_method="POST", permission=Permissions.VIEW)
def inbox_read_view(request):
    """Mark one of my notifications read, then go back where the button was."""
    form = MarkReadForm(request.POST)
    back = next_url(request, _inbox_url(request))
    if not form.validate():
        return refuse_and_go(request, form.notification_id.errors[0], back)
    mark_read(request.dbsession, request.user, [form.notification_id.data])
    return HTTPSeeOther(back)


@view_config(route_name="inbox.read_all", request_method="POST", permission=Permissions.VIEW)
def inbox_read_all_view(request):
    """Mark every notification of mine read."""
    count = mark_all_read(request.dbsession, request.user)
    request.session.flash(
        f"Marked {count} notification{'' if count == 1 else 's'} read."
        if count
        else "Nothing was unread."
    )
    return HTTPSeeOther(next_url(request, _inbox_url(request)))
