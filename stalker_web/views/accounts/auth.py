"""Logging in (the password step; the code step is in two_factor.py) and out, and the
signed cookie by which a browser that signed in before is recognised."""

import os
import time

from pyramid.csrf import new_csrf_token
from pyramid.httpexceptions import HTTPFound, HTTPSeeOther
from pyramid.security import NO_PERMISSION_REQUIRED, forget
from pyramid.settings import asbool
from pyramid.view import view_config
from webob.cookies import SignedSerializer

from ... import SECRET_ENV_VAR
from ...permissions import Permissions
from ...security import remember_user
from ...services.accounts.authentication import (
    LOGIN_MAX_LENGTH,
    LoginRefused,
    authenticate,
    record_failed_attempt,
    record_logout,
)
from ..common import remote_addr, safe_next_url
from .forms import LoginForm

KNOWN_BROWSER_COOKIE = "stalker_web_known_browser"
# The last users a browser signed in as that it remembers.
KNOWN_USERS_KEPT = 5
PENDING_SECOND_STEP_KEY = "two_factor.pending"


def _known_browser_serializer(request) -> SignedSerializer:
    """Signs the known-browser cookie with the session's secret (checked at start-up), under a
    salt of its own."""
    secret = os.environ.get(SECRET_ENV_VAR) or request.registry.settings["session.secret"]
    return SignedSerializer(secret, salt="stalker_web.known_browser", hashalg="sha512")


def _known_browser_entries(request) -> list[list[int]]:
    """``[user id, signed-in time]`` pairs of this browser's cookie still in date."""
    cookie = request.cookies.get(KNOWN_BROWSER_COOKIE)
    if not cookie:
        return []
    days = int(request.studio_config["accounts"]["known_browser_days"])
    oldest = time.time() - days * 86400
    try:
        entries = _known_browser_serializer(request).loads(cookie.encode("ascii"))
        return [
            [user_id, signed_in]
            for user_id, signed_in in entries
            if isinstance(user_id, int) and isinstance(signed_in, int) and signed_in > oldest
        ]
    except (TypeError, ValueError, UnicodeEncodeError):
        return []


def known_browser_user_ids(request) -> frozenset[int]:
    """The users this browser signed in as before (a signed cookie), recently enough."""
    return frozenset(user_id for user_id, _ in _known_browser_entries(request))


def remember_known_browser(request, response, user_id: int) -> None:
    """Note on ``response`` that this browser signed in as ``user_id`` (kept past logout)."""
    entries = [entry for entry in _known_browser_entries(request) if entry[0] != user_id]
    entries = [[user_id, int(time.time())], *entries][:KNOWN_USERS_KEPT]
    days = int(request.studio_config["accounts"]["known_browser_days"])
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        _known_browser_serializer(request).dumps(entries).decode("ascii"),
        max_age=days * 86400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=asbool(request.registry.settings.get("session.secure", True)),
    )


def finish_login(request, user, next_url: str, message: str | None = None) -> HTTPSeeOther:
    """Log ``user`` in on a fresh session (new CSRF token), remember this browser, and go to
    ``next_url`` (or to the password form first when a change is due); a session this browser
    was already signed in with ends."""
    forget(request)
    request.session.invalidate()
    headers = remember_user(request, user)
    new_csrf_token(request)
    if message:
        request.session.flash(message)
    if user.must_change_password:
        request.session.flash("Choose a new password before you go on.")
        response = HTTPSeeOther(request.route_url("profile.password"), headers=headers)
    else:
        response = HTTPSeeOther(safe_next_url(request, next_url), headers=headers)
    remember_known_browser(request, response, user.id)
    return response


def _begin_second_step(request, user, next_url: str) -> HTTPSeeOther:
    """The password was right and the user signs in with a code too: keep who is signing in, and
    until when, in a fresh session that is not logged in yet."""
    minutes = int(request.studio_config["accounts"]["two_factor_step_minutes"])
    request.session.invalidate()
    request.session[PENDING_SECOND_STEP_KEY] = {
        "user_id": user.id,
        "expires": time.time() + minutes * 60,
        "next": next_url or "",
    }
    return HTTPSeeOther(request.route_url("login.two_factor"))


@view_config(route_name="login", renderer="auth/login.jinja2", permission=NO_PERMISSION_REQUIRED)
def login_view(request):
    form = LoginForm(request.POST, next=request.params.get("next", ""))
    if request.method == "POST" and form.validate():
        try:
            user = authenticate(
                request.dbsession,
                form.login.data,
                form.password.data,
                remote_addr(request),
                request.studio_config["accounts"],
                known_user_ids=known_browser_user_ids(request),
            )
        except LoginRefused as refusal:
            form.form_errors.append(refusal.message)
            # Keep the failed attempt in the log although the response is an error.
            request.response.headers["X-Tm"] = "commit"
        else:
            if user.totp_enabled:
                return _begin_second_step(request, user, form.next.data)
            return finish_login(request, user, form.next.data)
    elif request.method == "POST" and len(form.login.data or "") > LOGIN_MAX_LENGTH:
        # Too long to be anyone's login: an attempt all the same, logged cut short.
        record_failed_attempt(request.dbsession, form.login.data, remote_addr(request))
        request.response.headers["X-Tm"] = "commit"
    if request.method == "POST":
        request.response.status_int = 400
    form.password.data = ""
    return {"form": form}


@view_config(route_name="logout", request_method="POST", permission=Permissions.VIEW)
def logout_view(request):
    record_logout(request.dbsession, request.user, remote_addr(request))
    # Revokes the server-side session: a copy of the cookie no longer logs anyone in.
    headers = forget(request)
    request.session.invalidate()
    return HTTPSeeOther(request.route_url("login"), headers=headers)


@view_config(route_name="logout", request_method="GET", permission=NO_PERMISSION_REQUIRED)
def logout_get_view(request):
    """Logging out takes a POST (with its CSRF token); a GET lands on the home page."""
    return HTTPFound(request.route_url("home"))
