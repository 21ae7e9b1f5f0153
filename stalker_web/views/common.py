"""Helpers shared by the views of several domains: the same-site ``next`` check, refusing with
a flash and a redirect, running a service call in a savepoint, the projects a user may read,
the ``?parent=`` task of a page, the administrators' group and the acting user's rights, the
client's address and CSV downloads (short ones, and exports of any length)."""

import tempfile
from collections.abc import Iterable
from urllib.parse import urlsplit

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.response import FileIter, Response

from ..limits import URL_MAX_LENGTH, control_characters, query_int
from ..models import Task
from ..permissions import Permissions
from ..services.accounts.readable_projects import ReadableProjects
from ..services.accounts.studio_rights import StudioRights, held_rights
from ..services.transactions import savepoint


def same_site_url(request, candidate) -> str | None:
    """The absolute URL of ``candidate`` if it is a path on this site (no scheme, no host, no
    backslash, no control character that could split a header, not too long), else None."""
    if not isinstance(candidate, str) or not candidate or len(candidate) > URL_MAX_LENGTH:
        return None
    if control_characters(candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:  # such as an unclosed "[" of an IPv6 host
        return None
    if (
        not parts.scheme
        and not parts.netloc
        and candidate.startswith("/")
        and not candidate.startswith("//")
        and "\\" not in candidate
    ):
        return request.application_url + candidate
    return None


def safe_next_url(request, candidate: str | None, default_route: str = "home") -> str:
    """``candidate`` if it is a path on this site, else the default page (no open redirects)."""
    return same_site_url(request, candidate) or request.route_url(default_route)


def next_path(request) -> str:
    """The ``next`` page the request names (in its POST body, else its query string) when it is
    a path on this site, else "": what a form carries back in a hidden field."""
    candidate = request.POST.get("next") or request.GET.get("next")
    return candidate if same_site_url(request, candidate) else ""


def next_url(request, default: str) -> str:
    """The absolute URL of the request's ``next`` page (see :func:`next_path`), else
    ``default``."""
    return same_site_url(request, next_path(request)) or default


def refuse_and_go(request, message: str, url: str) -> HTTPSeeOther:
    """Flash ``message`` as an error and go to ``url``; the transaction is not committed."""
    request.session.flash(message, "error")
    return HTTPSeeOther(url, headers=[("X-Tm", "abort")])


def in_savepoint(request, action):
    """Run ``action()`` in a SAVEPOINT, undone when it raises ValidationError (re-raised)."""
    with savepoint(request.dbsession):
        return action()


def readable_projects(request) -> ReadableProjects:
    """The projects whose tasks the user may read: what refusals may name, and which tasks
    people charts show rather than draw as anonymous busy time."""
    every = request.studio_permits(Permissions.READ_TASK)
    return ReadableProjects.of(request.user_rights, every=every)


def parent_from_query(request, project) -> Task | None:
    """The task of ``project`` named by ``?parent=`` (whose children a page lists), or None for
    the root tasks; 404 when it is not a task of this project."""
    if not (request.params.get("parent") or "").strip():
        return None
    parent_id = query_int(request.params, "parent")
    parent = request.dbsession.get(Task, parent_id) if parent_id is not None else None
    if parent is None or parent.project_id != project.id:
        raise HTTPNotFound("No task with this id in this project.")
    return parent


def admin_group_name(request) -> str:
    """The name of the studio's administrators' group (configured)."""
    return request.studio_config["accounts"]["admin_group"]


def acting_rights(request) -> StudioRights:
    """What the acting user holds studio-wide: the rights they may hand out or change."""
    return held_rights(request.user_rights, admin_group_name(request))


def remote_addr(request) -> str:
    """The client's address as the authentication log and the login throttle record it."""
    return request.client_addr or ""


def csv_response(text: str, filename: str) -> Response:
    """``text`` as a CSV download named ``filename`` (letters, digits, ``_-.`` only); the byte
    order mark lets spreadsheet programs read non-ASCII names as UTF-8."""
    return csv_lines_response([text], filename)


# A CSV export larger than this goes from memory to a temporary file while it is written.
CSV_SPOOL_BYTES = 1024 * 1024


def csv_lines_response(lines: Iterable[str], filename: str) -> Response:
    """The CSV ``lines`` as a download named ``filename`` (see :func:`csv_response`), for an
    export of any length: the lines are written, while the request's transaction is still open,
    to a file kept in memory up to ``CSV_SPOOL_BYTES`` and on disk beyond, then sent from it in
    chunks, so the whole text is never one string."""
    spool = tempfile.SpooledTemporaryFile(max_size=CSV_SPOOL_BYTES)  # noqa: SIM115 - FileIter closes it
    spool.write("\ufeff".encode())
    for line in lines:
        spool.write(line.encode("utf-8"))
    spool.seek(0)
    return Response(
        app_iter=FileIter(spool),
        content_type="text/csv",
        charset="utf-8",
        content_disposition=f'attachment; filename="{filename}"',
    )
