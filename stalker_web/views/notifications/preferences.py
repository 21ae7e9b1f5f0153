"""My notification preferences: for each kind, the inbox, e-mail, a daily digest or nothing."""

from pyramid.view import view_config

from ...forms import submit_form
from ...permissions import Permissions
from ...services.notifications.preferences import KINDS, preferences_of, save_preferences
from .forms import preferences_form


@view_config(
    route_name="profile.notifications",
    renderer="profile/notifications.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.EDIT_PROFILE,
)
def preferences_view(request):
    """The kinds × channels table; saving keeps every choice at once."""
    dbsession, user = request.dbsession, request.user
    form = preferences_form(request.POST, preferences_of(dbsession, user))

    def save():
        chosen = {words.kind.value: form[words.kind.value].data for words in KINDS}
        save_preferences(dbsession, user, chosen)
        saved = "Your notification preferences are saved."
        return saved, request.route_url("profile.notifications")

    return submit_form(request, form, save) or {"form": form, "kinds": KINDS}
