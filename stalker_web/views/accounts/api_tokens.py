"""My API tokens (profile page): listing them, making one (its secret shown once, in the answer
to the form, never in a URL or the flash cookie) and revoking one."""

from datetime import timedelta

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from ...compression import keep_uncompressed
from ...models import ApiToken
from ...models.meta import utcnow
from ...permissions import Permissions
from ...resources import matched_id
from ...services.accounts.api_tokens import (
    MAX_LIFETIME_DAYS,
    SECRET_PREFIX,
    create_token,
    is_live,
    revoke_token,
    user_tokens,
)
from ...services.errors import ValidationError
from ...time_zones import at_minute, local_day
from .forms import ApiTokenForm

DEFAULT_LIFETIME_DAYS = 90


def token_state(token: ApiToken) -> str:
    """``active``, ``expired`` or ``revoked``."""
    if token.revoked_at is not None:
        return "revoked"
    return "active" if is_live(token) else "expired"


def _page(request, form: ApiTokenForm, created: tuple[ApiToken, str] | None = None) -> dict:
    return {
        "form": form,
        "tokens": [
            (token, token_state(token)) for token in user_tokens(request.dbsession, request.user)
        ],
        "created": created,
        "secret_prefix": SECRET_PREFIX,
        "max_days": MAX_LIFETIME_DAYS,
    }


def _new_form(request) -> ApiTokenForm:
    form = ApiTokenForm()
    form.expires_at.data = local_day(utcnow(), request.time_zone) + timedelta(
        days=DEFAULT_LIFETIME_DAYS
    )
    return form


def _expiry(request, form: ApiTokenForm):
    """The moment the token ends: the start of the chosen day in the viewer's zone, or None."""
    if form.never_expires.data:
        return None
    if form.expires_at.data is None:
        raise ValidationError("Choose the day it expires, or tick No expiry.", "expires_at")
    return at_minute(form.expires_at.data, 0, request.time_zone)


@view_config(
    route_name="profile.api_tokens",
    renderer="profile/api_tokens.jinja2",
    request_method="GET",
    permission=Permissions.EDIT_PROFILE,
)
def api_tokens_view(request):
    """My tokens, newest first, and the form to make one."""
    return _page(request, _new_form(request))


@view_config(
    route_name="profile.api_tokens",
    renderer="profile/api_tokens.jinja2",
    request_method="POST",
    permission=Permissions.EDIT_PROFILE,
)
def api_token_create_view(request):
    """Make a token and show its secret in this answer only (not stored, not cached)."""
    form = ApiTokenForm(request.POST)
    if form.validate():
        try:
            created = create_token(
                request.dbsession,
                request.user,
                name=form.name.data,
                scope=form.scope.data,
                expires_at=_expiry(request, form),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            request.response.cache_control = "no-store"
            keep_uncompressed(request)
            return _page(request, _new_form(request), created)
    request.response.status_int = 400
    return _page(request, form)


@view_config(
    route_name="profile.api_tokens.revoke",
    request_method="POST",
    permission=Permissions.EDIT_PROFILE,
)
def api_token_revoke_view(request):
    """Revoke one of my tokens (another person's token id: 404)."""
    token = request.dbsession.get(ApiToken, matched_id(request, "token_id"))
    if token is None or token.user_id != request.user.id:
        raise HTTPNotFound("You have no such token.")
    revoke_token(request.dbsession, token)
    request.session.flash(f"The token {token.name} is revoked: tools using it are refused now.")
    return HTTPSeeOther(request.route_url("profile.api_tokens"))
