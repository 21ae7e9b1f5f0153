"""The database out of reach: a static 503 page (JSON under /api/) with ``Retry-After``.

When PostgreSQL is down, restarting, unreachable or too slow, every page fails, and so did the
error page, which needs the database for the signed-in user: people got the server's bare
"Internal Server Error". This answer needs nothing but the request: no database, no session, no
template engine. It is given by an exception view (errors inside the views and at commit) and by
a tween above pyramid_tm (errors before the views run, such as loading who is signed in).

An error while committing leaves the outcome unknown: the database may have saved the change and
lost only its reply, so the page says so and tells the user how to check, rather than claiming
nothing was saved.
"""

import json
import logging
from pathlib import Path
from string import Template

from pyramid.response import Response
from pyramid_tm import is_tm_active
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from ..static_assets import STATIC_SPEC

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
API_PREFIX = "/api/"
# Plain HTML filled with string.Template: rendering it must not need anything that may be down.
PAGE = Template(
    (Path(__file__).parent.parent / "templates" / "errors" / "unavailable.html").read_text(
        encoding="utf-8"
    )
)
# PostgreSQL's SQLSTATEs of a server that is going away or will not take the connection
# (class 08, connection exception; 57P01-57P03, shut down or starting) or of a statement stopped
# by statement_timeout (57014).
UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "57014")

NOT_SAVED = (
    "The studio's database cannot be reached just now, so what you sent was not saved. Wait a "
    "minute and try again; tell an administrator if it lasts."
)
OUTCOME_UNKNOWN = (
    "The connection to the studio's database was lost while your change was being saved, so "
    "it may or may not have been saved. In a minute, open the page again and check before you "
    "send it again; tell an administrator if the studio stays unreachable."
)


def is_database_unavailable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be reached (refused, lost, timed out), as
    opposed to a fault in what the app asked of it."""
    if isinstance(error, PoolTimeoutError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    # psycopg's errors carry ``sqlstate``: None for the client's own (connection refused,
    # server closed the connection), a code for the server's. SQLite's errors carry none, and
    # a programming error is a bug, never an outage.
    if not isinstance(error, OperationalError | InterfaceError) or not hasattr(
        error.orig, "sqlstate"
    ):
        return False
    sqlstate = error.orig.sqlstate
    return sqlstate is None or sqlstate.startswith(UNAVAILABLE_SQLSTATES)


def unavailable_response(request, message: str) -> Response:
    """The 503 answer: JSON under /api/, else the static page."""
    if request.path_info.startswith(API_PREFIX):
        body = {"error": {"code": "unavailable", "message": message, "fields": {}}}
        response = Response(json.dumps(body), content_type="application/json", charset="utf-8")
    else:
        stylesheet = request.static_url(f"{STATIC_SPEC}/style.css")
        response = Response(
            PAGE.substitute(message=message, stylesheet=stylesheet, home=request.application_url),
            content_type="text/html",
            charset="utf-8",
        )
    response.status_int = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def database_unavailable_view(exc, request) -> Response:
    """An error page for a database that cannot be reached (pyramid_tm is no longer managing
    the request once it has started committing)."""
    log.error("database unavailable on %s %s: %s", request.method, request.path, exc)
    return unavailable_response(request, NOT_SAVED if is_tm_active(request) else OUTCOME_UNKNOWN)


def database_unavailable_tween_factory(handler, registry):
    """A tween answering 503 for an unreachable database before the error views run."""

    def database_unavailable_tween(request):
        try:
            return handler(request)
        except (DBAPIError, PoolTimeoutError) as error:
            if not is_database_unavailable(error):
                raise
            log.error("database unavailable on %s %s: %s", request.method, request.path, error)
            return unavailable_response(request, NOT_SAVED)

    return database_unavailable_tween


class DatabaseUnavailablePredicate:
    """The view predicate ``database_unavailable``: the error is ``is_database_unavailable``."""

    def __init__(self, value: bool, config) -> None:
        self.value = value

    def text(self) -> str:
        return f"database_unavailable = {self.value}"

    phash = text

    def __call__(self, context, request) -> bool:
        return is_database_unavailable(context) == self.value


def includeme(config) -> None:
    """The tween (above pyramid_tm, so it sees what fails in it) and the error view."""
    config.add_tween(
        "stalker_web.faults.outage.database_unavailable_tween_factory",
        over="pyramid_tm.tm_tween_factory",
    )
    config.add_view_predicate("database_unavailable", DatabaseUnavailablePredicate)
    config.add_exception_view(
        database_unavailable_view, context=Exception, database_unavailable=True
    )
