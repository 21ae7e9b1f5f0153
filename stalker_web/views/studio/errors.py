"""Error pages: 403 (or a login redirect for anonymous users), 404, CSRF failures and 500."""

import logging

from pyramid.exceptions import BadCSRFToken
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config
from pyramid_tm import is_tm_active

log = logging.getLogger(__name__)


@forbidden_view_config(renderer="errors/403.jinja2")
def forbidden_view(request):
    if request.user is None:
        query = {"next": request.path_qs} if request.method == "GET" else {}
        return HTTPSeeOther(request.route_url("login", _query=query))
    request.response.status_int = 403
    return {}


@notfound_view_config(renderer="errors/404.jinja2")
def notfound_view(request):
    request.response.status_int = 404
    return {}


@exception_view_config(BadCSRFToken, renderer="errors/csrf.jinja2")
def bad_csrf_view(request):
    request.response.status_int = 400
    return {}


@exception_view_config(Exception, renderer="errors/500.jinja2")
def server_error_view(exc, request):
    """The 500 page. pyramid_tm stops managing the request once it starts committing, so an
    error then may come after the database saved the change: the page says the outcome is
    unknown instead of "nothing was saved"."""
    log.exception("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    request.response.status_int = 500
    return {"while_saving": not is_tm_active(request)}
