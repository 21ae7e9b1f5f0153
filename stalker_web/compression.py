"""Gzip of text responses, for servers with no compressing proxy in front.

Text (pages, stylesheets, scripts, JSON, SVG, CSV) between 1 KiB and 16 MiB is sent gzipped to a
client that accepts it, with ``Vary: Accept-Encoding`` so that caches keep both forms. Bodies that
stream (exports), partial responses and answers to anything but a GET are left alone.
``app.compress_responses = false`` turns it off where a proxy compresses instead.

BREACH: a compressed body that carries a secret next to text an attacker chose (a search term in
the address, a task name a colleague typed) leaks the secret through its length, when the
attacker can make the victim's browser send many such requests. The secret every page carries,
the session's CSRF token, is masked afresh in each response (``csrf_tokens.py``), so it gives
the guessing nothing to converge on and signed-in pages are compressed. A page showing another
secret (an authenticator key being set up, a webhook's signing secret; a new API token or
recovery codes, although those are answers to a POST) calls :func:`keep_uncompressed`, and its
response goes out as it is. ``no-store`` cannot be the mark: every generated page carries it
(``headers.py``). Static files, charts and CSV exports carry no
secret; the API's JSON answers only to tokens sent by pipeline tools, never to a browser's cookie.
"""

import gzip

from pyramid.settings import asbool
from pyramid.tweens import INGRESS

COMPRESSIBLE_TYPES = frozenset(
    {
        "application/javascript",
        "application/json",
        "image/svg+xml",
        "text/css",
        "text/csv",
        "text/html",
        "text/javascript",
        "text/plain",
    }
)
MIN_BYTES = 1024
# Larger bodies (a big text attachment) are read whole to be compressed: not worth the memory.
MAX_BYTES = 16 * 1024 * 1024
# zlib's default: on the large studio's 1.2 MB Gantt image 4 ms instead of level 9's 16 ms, for
# 35 KB instead of 33 KB; pages of 20-120 KB take under a millisecond.
COMPRESS_LEVEL = 6
# The request's mark that its response shows a secret (see keep_uncompressed).
KEEP_UNCOMPRESSED = "stalker_web.keep_uncompressed"


def keep_uncompressed(request) -> None:
    """Send this request's response uncompressed: it shows a secret other than the masked CSRF
    token, which compressed beside text an attacker chose would leak through its length."""
    request.environ[KEEP_UNCOMPRESSED] = True


def accepts_gzip(request) -> bool:
    """Whether the client said it accepts gzip (saying nothing is taken as no: old clients)."""
    return "Accept-Encoding" in request.headers and bool(
        request.accept_encoding.acceptable_offers(["gzip"])
    )


def should_compress(request, response) -> bool:
    """Whether ``response`` is text worth compressing for a GET (before asking the client)."""
    return (
        request.method == "GET"
        and response.status_code == 200
        and response.content_type in COMPRESSIBLE_TYPES
        and response.content_encoding is None
        and response.content_length is not None
        and MIN_BYTES <= response.content_length <= MAX_BYTES
        and "Content-Range" not in response.headers
    )


def compression_tween_factory(handler, registry):
    """A tween gzipping text responses (see the module's docstring), or passing everything
    through when ``app.compress_responses`` is off."""
    if not asbool(registry.settings.get("app.compress_responses", True)):
        return handler

    def compression_tween(request):
        response = handler(request)
        if not should_compress(request, response):
            return response
        response.vary = tuple(dict.fromkeys([*(response.vary or ()), "Accept-Encoding"]))
        if "Range" in request.headers or not accepts_gzip(request):
            return response
        if request.environ.get(KEEP_UNCOMPRESSED):
            return response
        etag = response.etag
        response.body = gzip.compress(response.body, compresslevel=COMPRESS_LEVEL, mtime=0)
        response.content_encoding = "gzip"
        if etag:
            # Another body than the plain file's: another tag, or a cache would mix them up.
            response.etag = f"{etag}-gzip"
        return response

    return compression_tween


def includeme(config) -> None:
    """Install the compression tween at the outside, so it sees every response, error pages and
    static files included, after the transaction has ended."""
    config.add_tween("stalker_web.compression.compression_tween_factory", under=INGRESS)
