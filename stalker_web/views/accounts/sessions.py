"""Where I am signed in: my sessions, signing one or all others out; an admin signs a user out."""

from datetime import timedelta

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.security import forget
from pyramid.view import view_config

from ...permissions import Permissions
from ...resources import matched_id
from ...services.accounts.authentication import record_logout
from ...services.accounts.sessions import (
    SessionLimits,
    active_sessions,
    describe_user_agent,
    revoke_session,
    revoke_user_sessions,
)
from ...services.accounts.studio_rights import reach_refusal
from ..common import acting_rights, admin_group_name, remote_addr


def _limits(request) -> SessionLimits:
    return SessionLimits.from_config(request.studio_config["accounts"])


def _duration_words(duration: timedelta) -> str:
    """``8 hours``, ``3 days``, ``90 minutes``: the largest whole unit."""
    minutes = int(duration.total_seconds() // 60)
    for unit, size in (("day", 24 * 60), ("hour", 60), ("minute", 1)):
        if minutes % size == 0:
            count = minutes // size
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{minutes} minutes"


def _sessions_url(request) -> str:
    return request.route_url("profile.sessions")


@view_config(
    route_name="profile.sessions",
    renderer="profile/sessions.jinja2",
    request_method="GET",
    permission=Permissions.EDIT_PROFILE,
)
def sessions_view(request):
    """My live sessions, this one first, each with its browser in plain words."""
    current = request.user_session
    limits = _limits(request)
    records = active_sessions(request.dbsession, request.user.id, limits)
    records.sort(key=lambda record: record.id != current.id)
    return {
        "sessions": [(record, describe_user_agent(record.user_agent)) for record in records],
        "current_id": current.id,
        "idle_words": _duration_words(limits.idle),
        "lifetime_words": _duration_words(limits.lifetime),
    }


@view_config(
    route_name="profile.sessions.revoke",
    request_method="POST",
    permission=Permissions.EDIT_PROFILE,
)
def session_revoke_view(request):
    """Sign out one of my sessions; signing out this one logs me out."""
    session_id = matched_id(request, "session_id")
    records = active_sessions(request.dbsession, request.user.id, _limits(request))
    record = next((record for record in records if record.id == session_id), None)
    if record is None:
        raise HTTPNotFound("You have no such session: it may have ended already.")
    if record.id == request.user_session.id:
        record_logout(request.dbsession, request.user, remote_addr(request))
        headers = forget(request)
        request.session.invalidate()
        return HTTPSeeOther(request.route_url("login"), headers=headers)
    revoke_session(request.dbsession, record.id, user_id=request.user.id)
    request.session.flash(f"Signed out of {describe_user_agent(record.user_agent)}.")
    return HTTPSeeOther(_sessions_url(request))


@view_config(
    route_name="profile.sessions.revoke_others",
    request_method="POST",
    permission=Permissions.EDIT_PROFILE,
)
def sessions_revoke_others_view(request):
    """Sign out every session of mine but this one."""
    revoke_user_sessions(
        request.dbsession, request.user.id, except_session_id=request.user_session.id
    )
    request.session.flash("You are signed out everywhere else; only this session goes on.")
    return HTTPSeeOther(_sessions_url(request))


@view_config(
    route_name="users.sessions.revoke",
    request_method="POST",
    permission=Permissions.UPDATE_USER,
)
def user_sessions_revoke_view(request):
    """Sign a user out everywhere (someone signing themselves out keeps this session)."""
    user = request.context.entity
    user_url = request.route_url("users.view", user_id=user.id)
    if user.id == request.user.id:
        revoke_user_sessions(request.dbsession, user.id, except_session_id=request.user_session.id)
        request.session.flash("You are signed out everywhere else; only this session goes on.")
        return HTTPSeeOther(user_url)
    refusal = reach_refusal(acting_rights(request), user, "sign out", admin_group_name(request))
    if refusal is not None:
        request.session.flash(refusal, "error")
        return HTTPSeeOther(user_url)
    revoke_user_sessions(request.dbsession, user.id)
    request.session.flash(f"{user.name} is signed out everywhere.")
    return HTTPSeeOther(user_url)
