"""My profile: my details, editing my name, e-mail and time zone, and changing my password."""

from pyramid.view import view_config

from ...forms import submit_form
from ...permissions import Permissions
from ...services.accounts import directory as user_directory
from ...services.accounts import users as service
from ...services.accounts.display_zone import set_display_zone
from ...services.accounts.sessions import revoke_user_sessions
from ...time_zones import zone_names
from .forms import PasswordForm, ProfileForm


@view_config(
    route_name="profile.view",
    renderer="profile/view.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.EDIT_PROFILE,
)
def profile_view(request):
    user = request.user
    form = ProfileForm(request.POST, obj=user)

    def save():
        service.update_profile(
            request.dbsession,
            user,
            submitted_version=form.submitted_version(),
            name=form.name.data,
            email=form.email.data,
            current_password=form.current_password.data,
            remote_addr=request.remote_addr or "",
            accounts_config=request.studio_config["accounts"],
        )
        set_display_zone(request.dbsession, user, form.time_zone.data)
        return "Your profile is saved.", request.route_url("profile.view")

    saved = submit_form(request, form, save)
    if saved is None and form.current_password.errors:
        # A wrong password is logged (and throttled): keep that record although the form fails.
        request.response.headers["X-Tm"] = "commit"
    return saved or {
        "form": form,
        "user": user_directory.load_user_details(request.dbsession, user.id),
        "zone_names": zone_names(),
        "studio_time_zone": request.studio_time_zone,
    }


@view_config(
    route_name="profile.password",
    renderer="profile/password.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.EDIT_PROFILE,
)
def password_view(request):
    form = PasswordForm(request.POST)

    def save():
        service.change_password(
            request.dbsession,
            request.user,
            current_password=form.current_password.data,
            new_password=form.new_password.data,
            password_min_length=int(request.studio_config["accounts"]["password_min_length"]),
            remote_addr=request.remote_addr or "",
            accounts_config=request.studio_config["accounts"],
        )
        # This session goes on; the others, opened with the old password, end.
        revoke_user_sessions(
            request.dbsession, request.user.id, except_session_id=request.user_session.id
        )
        return "Your password is changed.", request.route_url("home")

    saved = submit_form(request, form, save)
    if saved is None and form.current_password.errors:
        # A wrong current password is logged (and throttled): keep that record although the
        # form fails; nothing else was changed.
        request.response.headers["X-Tm"] = "commit"
    return saved or {
        "form": form,
        "min_length": request.studio_config["accounts"]["password_min_length"],
    }
