"""The static files (stylesheets, scripts, icons): served under /static with fingerprinted URLs.

``request.static_url`` adds a hash of the file's content (``style.css?x=3f9a0c1d2b4e``), so a
browser may keep a file for a year without asking again: a changed file gets a new URL. A request
whose fingerprint is that of the file served gets ``Cache-Control: public, max-age=31536000,
immutable``; any other (no fingerprint, or an old one while hosts are upgraded one by one) keeps
the view's hour, so a stale file is never pinned for a year.
"""

import hashlib
import os
from pathlib import Path

from pyramid.events import NewResponse
from pyramid.static import QueryStringCacheBuster

STATIC_FOLDER = Path(__file__).parent / "static"
STATIC_SPEC = "stalker_web:static"
STATIC_ROUTE_NAME = "__static/"  # the route add_static_view("static", ...) adds
FINGERPRINT_PARAMETER = "x"
SHORT_CACHE_SECONDS = 3600
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"


class ContentHashCacheBuster(QueryStringCacheBuster):
    """Adds the first 12 hex digits of each file's SHA-256 to its URL. The hash is kept per
    file while its size and modification time stay the same (editing a file in development
    changes its URL at once)."""

    def __init__(self) -> None:
        super().__init__(param=FINGERPRINT_PARAMETER)
        self._hashes: dict[str, tuple[int, int, str]] = {}

    def fingerprint(self, subpath: str) -> str | None:
        """The content hash of the static file at ``subpath``, None when there is none."""
        path = STATIC_FOLDER / subpath
        try:
            stat = os.stat(path)
        except OSError:
            return None
        known = self._hashes.get(subpath)
        if known is not None and known[:2] == (stat.st_mtime_ns, stat.st_size):
            return known[2]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        self._hashes[subpath] = (stat.st_mtime_ns, stat.st_size, digest)
        return digest

    def tokenize(self, request, subpath, kw):
        return self.fingerprint(subpath) or ""


def cache_fingerprinted_files(event) -> None:
    """Let browsers keep a static file for a year when its URL carries its current hash."""
    request, response = event.request, event.response
    route = request.matched_route
    if route is None or route.name != STATIC_ROUTE_NAME or response.status_code not in (200, 304):
        return
    subpath = "/".join(request.matchdict.get("subpath", ()))
    fingerprint = request.registry["stalker_web.static_cache_buster"].fingerprint(subpath)
    if fingerprint and request.GET.get(FINGERPRINT_PARAMETER) == fingerprint:
        response.headers["Cache-Control"] = IMMUTABLE_CACHE
        response.headers.pop("Expires", None)


def includeme(config) -> None:
    """The /static view, its fingerprinting cache buster and the long cache of fingerprinted
    URLs."""
    config.add_static_view("static", STATIC_SPEC, cache_max_age=SHORT_CACHE_SECONDS)
    buster = ContentHashCacheBuster()
    config.registry["stalker_web.static_cache_buster"] = buster
    config.add_cache_buster(STATIC_SPEC, buster)
    config.add_subscriber(cache_fingerprinted_files, NewResponse)
