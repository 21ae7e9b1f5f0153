"""Gzip of text responses, for servers with no compressing proxy in front.

Text (pages, stylesheets, scripts, JSON, SVG, CSV) between 1 KiB and 16 MiB is sent gzipped to a
client that accepts it, with ``Vary: Accept-Encoding`` so that caches keep both forms. Bodies that
stream (exports) and partial responses are left alone. ``app.compress_responses = false`` turns it
off where a proxy compresses instead.

BREACH: a compressed body that carries a secret next to text an attacker chose (a search term in
the address) leaks the secret through its length, when the attacker can make the victim's browser
send many such requests. The secret in our pages is the session's CSRF token, so a body
containing it is never compressed: pages with a form (the layout's sign-out form makes that every
signed-in page) go out as they are. Static files, charts and CSV exports carry no token; the
API's JSON answers only to tokens sent by pipeline tools, never to a browser's cookie.
"""

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
# Where Pyramid's session keeps the CSRF token (SignedCookieSession.get_csrf_token).
SESSION_CSRF_KEY = "_csrft_"


def carries_csrf_token(request, body: bytes) -> bool:
    """Whether ``body`` holds the session's CSRF token. A request that never opened its session
    cannot have put the token in its body, and opening it here would only cost a cookie check."""
    session = request.__dict__.get("session")
    token = session.get(SESSION_CSRF_KEY) if session is not None else None
    return bool(token) and token.encode() in body


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
        if carries_csrf_token(request, response.body):
            return response
        etag = response.etag
        response.encode_content("gzip", lazy=False)
        if etag:
            # Another body than the plain file's: another tag, or a cache would mix them up.
            response.etag = f"{etag}-gzip"
        return response

    return compression_tween


def includeme(config) -> None:
    """Install the compression tween at the outside, so it sees every response, error pages and
    static files included, after the transaction has ended."""
    config.add_tween("stalker_web.compression.compression_tween_factory", under=INGRESS)
