"""Serving a stored file (a version's file, a note's attachment, their thumbnails) with the same
headers wherever it comes from: its own type, no sniffing, private caching, and a download name
for the file itself."""

import re
from urllib.parse import quote

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import FileResponse

_UNSAFE_IN_HEADER = re.compile(r"[^A-Za-z0-9._ -]")


def attachment(filename: str) -> str:
    """A Content-Disposition for ``filename``: an ASCII fallback plus the UTF-8 name."""
    fallback = _UNSAFE_IN_HEADER.sub("_", filename) or "file"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


def stored_file_response(
    request, path: str | None, content_type: str, download_name: str = "", missing: str = ""
) -> FileResponse:
    """The file at ``path`` (None: not stored on this server, a 404) as ``content_type``; named
    ``download_name`` when given, so browsers save it rather than open it. A file gone from
    the disk is a 404 saying ``missing``."""
    if path is None:
        raise HTTPNotFound("This file is not stored on this server.")
    try:
        response = FileResponse(path, request=request, content_type=content_type)
    except FileNotFoundError as error:
        raise HTTPNotFound(missing or "This file is missing from the server.") from error
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, max-age=300"
    if download_name:
        response.content_disposition = attachment(download_name)
    return response
