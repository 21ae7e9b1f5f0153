"""Logging in and out."""

from pyramid.csrf import new_csrf_token
from pyramid.httpexceptions import HTTPFound, HTTPSeeOther
from pyramid.security import NO_PERMISSION_REQUIRED, forget
from pyramid.view import view_config
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import InputRequired

from ..forms import BaseForm
from ..permissions import Permissions
from ..security import remember_user
from ..services.authentication import LoginRefused, authenticate, record_logout
from . import remote_addr, safe_next_url


class LoginForm(BaseForm):
    login = StringField("Login or e-mail", [InputRequired("Enter your login or e-mail.")])
    password = PasswordField("Password", [InputRequired("Enter your password.")])
    next = HiddenField()


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
            )
        except LoginRefused as refusal:
            form.form_errors.append(refusal.message)
            # Keep the failed attempt in the log although the response is an error.
            request.response.headers["X-Tm"] = "commit"
        else:
            request.session.invalidate()
            headers = remember_user(request, user)
            new_csrf_token(request)
            if user.must_change_password:
                request.session.flash("Choose a new password before you go on.")
                return HTTPSeeOther(request.route_url("profile.password"), headers=headers)
            return HTTPSeeOther(safe_next_url(request, form.next.data), headers=headers)
    if request.method == "POST":
        request.response.status_int = 400
    form.password.data = ""
    return {"form": form}


@view_config(route_name="logout", request_method="POST", permission=Permissions.VIEW)
def logout_view(request):
    record_logout(request.dbsession, request.user, remote_addr(request))
    headers = forget(request)
    request.session.invalidate()
    return HTTPSeeOther(request.route_url("login"), headers=headers)


@view_config(route_name="logout", request_method="GET", permission=NO_PERMISSION_REQUIRED)
def logout_get_view(request):
    """Logging out takes a POST (with its CSRF token); a GET lands on the home page."""
    return HTTPFound(request.route_url("home"))
