"""Two-factor sign-in pages: the code step of logging in, and setting it up on my profile
(the secret and its QR code, recovery codes, turning it off); administrators sent to set it up
when the studio requires it."""

import time

from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from ...compression import keep_uncompressed
from ...models import User
from ...permissions import Permissions
from ...security import is_api_request
from ...services.accounts import two_factor as service
from ...services.accounts.authentication import LoginRefused
from ...services.errors import ValidationError
from ...services.studio.settings import get_studio
from ..common import admin_group_name, remote_addr
from .auth import PENDING_SECOND_STEP_KEY, finish_login, known_browser_user_ids
from .forms import ConfirmForm, PasswordAndCodeForm, SecondStepForm

# The two password-and-code forms share a page: their fields' names and ids differ by these.
CODES_PREFIX = "codes"
OFF_PREFIX = "off"
# Where an administrator who must set two-factor sign-in up may still go.
ENROLMENT_ROUTES = frozenset(
    {
        "login",
        "login.two_factor",
        "logout",
        "profile.password",
        "profile.two_factor",
        "profile.two_factor.start",
        "profile.two_factor.confirm",
        # The layout's stylesheets.
        "status_colours",
    }
)


def _pending_sign_in(request) -> tuple[User, str] | None:
    """The user whose password step just passed, and the page they asked for; None when there
    is none, or it took too long."""
    pending = request.session.get(PENDING_SECOND_STEP_KEY)
    if not isinstance(pending, dict) or pending.get("expires", 0) < time.time():
        return None
    user = request.dbsession.get(User, pending.get("user_id"))
    if user is None or not user.is_active or not user.totp_enabled:
        return None
    return user, pending.get("next", "")


@view_config(
    route_name="login.two_factor",
    renderer="auth/two_factor.jinja2",
    request_method=("GET", "POST"),
    permission=NO_PERMISSION_REQUIRED,
)
def second_step_view(request):
    """The code step of logging in, after the right password."""
    pending = _pending_sign_in(request)
    if pending is None:
        if request.session.pop(PENDING_SECOND_STEP_KEY, None) is not None:
            request.session.flash("Signing in took too long; log in again.", "error")
        return HTTPSeeOther(request.route_url("login"))
    user, next_url = pending
    form = SecondStepForm(request.POST)
    if request.method == "POST" and form.validate():
        try:
            result = service.verify_second_step(
                request.dbsession,
                user,
                form.code.data,
                remote_addr=remote_addr(request),
                accounts_config=request.studio_config["accounts"],
                known_browser=user.id in known_browser_user_ids(request),
            )
        except LoginRefused as refusal:
            form.code.errors = [refusal.message]
            # Keep the failed attempt in the log although the response is an error.
            request.response.headers["X-Tm"] = "commit"
        else:
            message = None
            if result.used_recovery_code:
                left = result.recovery_codes_left
                message = (
                    f"You signed in with a recovery code; {left} {'is' if left == 1 else 'are'} "
                    "left. Make new ones on your two-factor page when they run low."
                )
            return finish_login(request, user, next_url, message)
    if request.method == "POST":
        request.response.status_int = 400
    form.code.data = ""
    return {"form": form}


def _must_enrol(request, user: User) -> bool:
    return service.must_enrol(
        request.dbsession, user, admin_group_name(request), request.user_rights
    )


def require_admin_two_factor(event) -> None:
    """Send an administrator who must set two-factor sign-in up to that page before anything
    else (a ContextFound subscriber, after the forced password change)."""
    request = event.request
    route = request.matched_route
    if route is None or route.name in ENROLMENT_ROUTES or route.name.startswith("__"):
        return
    user = request.user
    if user is not None and _must_enrol(request, user):
        if is_api_request(request):
            raise HTTPForbidden("Set two-factor sign-in up in the browser; then the API answers.")
        raise HTTPSeeOther(request.route_url("profile.two_factor"))


def _page(request, **values) -> dict:
    """What the two-factor page shows, whatever the state of the user's setup."""
    user = request.user
    page = {
        "user": user,
        "required": _must_enrol(request, user),
        "error": values.pop("error", None),
        "confirm_form": values.pop("confirm_form", None) or ConfirmForm(),
        "codes_form": values.pop("codes_form", None) or PasswordAndCodeForm(prefix=CODES_PREFIX),
        "off_form": values.pop("off_form", None) or PasswordAndCodeForm(prefix=OFF_PREFIX),
        **values,
    }
    if user.totp_enabled:
        page["codes_left"] = service.recovery_codes_left(request.dbsession, user)
    elif user.totp_secret:
        issuer = get_studio(request.dbsession, request.studio_config).name
        uri = service.provisioning_uri(user, issuer)
        secret = user.totp_secret
        keep_uncompressed(request)
        page.update(
            uri=uri,
            qr=service.qr_code(uri),
            secret_groups=[secret[start : start + 4] for start in range(0, len(secret), 4)],
        )
    return page


@view_config(
    route_name="profile.two_factor",
    renderer="profile/two_factor.jinja2",
    request_method="GET",
    permission=Permissions.EDIT_PROFILE,
)
def two_factor_view(request):
    """My two-factor sign-in: off, being set up, or on."""
    return _page(request)


@view_config(
    route_name="profile.two_factor.start",
    renderer="profile/two_factor.jinja2",
    request_method="POST",
    permission=Permissions.EDIT_PROFILE,
)
def start_view(request):
    """Make a new secret to load into an authenticator app."""
    try:
        service.start_enrolment(request.dbsession, request.user)
    except ValidationError as error:
        request.response.status_int = 400
        return _page(request, error=error.message)
    return HTTPSeeOther(request.route_url("profile.two_factor"))


def _keep_logged_failures(request, error: ValidationError) -> None:
    """A wrong password or code was logged as a failed attempt: keep it although the answer
    is an error (the services change nothing else before refusing)."""
    if error.field in ("current_password", "code"):
        request.response.headers["X-Tm"] = "commit"


def _with_password_and_code(request, form: PasswordAndCodeForm, change) -> tuple[bool, object]:
    """Make the two-factor ``change`` that needs my password and a current code: (True, its
    result), or (False, None) with the refusal under the form's field."""
    if not form.validate():
        return False, None
    try:
        return True, change(
            request.dbsession,
            request.user,
            password=form.current_password.data,
            code=form.code.data,
            remote_addr=remote_addr(request),
            accounts_config=request.studio_config["accounts"],
        )
    except ValidationError as error:
        form.add_service_error(error)
        _keep_logged_failures(request, error)
        return False, None


def _refused(request, name: str, form) -> dict:
    """The page again (400) with the refused ``form`` in place ``name``, its code cleared."""
    request.response.status_int = 400
    form.code.data = ""
    return _page(request, **{name: form})


@view_config(
    route_name="profile.two_factor.confirm",
    renderer="profile/two_factor.jinja2",
    request_method="POST",
    permission=Permissions.EDIT_PROFILE,
)
def confirm_view(request):
    """Turn two-factor sign-in on with a code from the app; shows the recovery codes once."""
    form = ConfirmForm(request.POST)
    if form.validate():
        try:
            codes = service.confirm_enrolment(request.dbsession, request.user, form.code.data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            # Shown in this answer only: never stored in plain text, never in the cookie.
            keep_uncompressed(request)
            request.override_renderer = "profile/two_factor_codes.jinja2"
            return {"codes": codes, "just_enabled": True}
    return _refused(request, "confirm_form", form)


@view_config(
    route_name="profile.two_factor.recovery_codes",
    renderer="profile/two_factor.jinja2",
    request_method="POST",
    permission=Permissions.EDIT_PROFILE,
)
def recovery_codes_view(request):
    """Replace my recovery codes; the new ones are shown once."""
    form = PasswordAndCodeForm(request.POST, prefix=CODES_PREFIX)
    done, codes = _with_password_and_code(request, form, service.regenerate_recovery_codes)
    if done:
        keep_uncompressed(request)
        request.override_renderer = "profile/two_factor_codes.jinja2"
        return {"codes": codes, "just_enabled": False}
    return _refused(request, "codes_form", form)


@view_config(
    route_name="profile.two_factor.disable",
    renderer="profile/two_factor.jinja2",
    request_method="POST",
    permission=Permissions.EDIT_PROFILE,
)
def turn_off_view(request):
    """Turn two-factor sign-in off (e.g. to set it up on a new phone)."""
    form = PasswordAndCodeForm(request.POST, prefix=OFF_PREFIX)
    done, _ = _with_password_and_code(request, form, service.turn_off)
    if done:
        request.session.flash("Two-factor sign-in is off; your recovery codes no longer work.")
        return HTTPSeeOther(request.route_url("profile.two_factor"))
    return _refused(request, "off_form", form)
