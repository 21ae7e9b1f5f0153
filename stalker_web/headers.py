"""HTTP headers in and out: the host the app answers as, and the security headers of every response.

In: with ``app.base_url`` set (``STALKER_WEB_BASE_URL`` wins), absolute URLs and redirects use
that scheme and host, never the request's ``Host`` — unless the peer is one of
``app.trusted_proxies``, whose ``X-Forwarded-Host`` / ``X-Forwarded-Proto`` / ``X-Forwarded-For``
are then honoured. Forwarded headers from anybody else are dropped before the app sees them.

Out: a Content-Security-Policy allowing only this site's own scripts, styles and images (no inline
script or style: templates use classes and the stylesheets under ``static/``), no MIME sniffing, a
same-origin referrer, ``no-store`` for every generated page (static files keep their caching) and
HSTS when cookies are secure (production).
"""

import ipaddress
import logging
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from pyramid.events import NewResponse
from pyramid.exceptions import ConfigurationError
from pyramid.settings import asbool, aslist
from pyramid.tweens import INGRESS

log = logging.getLogger(__name__)

BASE_URL_ENV_VAR = "STALKER_WEB_BASE_URL"
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000"
STATIC_ROUTE_PREFIX = "__static"  # add_static_view("static", ...) names its route "__static/"
DEFAULT_PORTS = {"http": "80", "https": "443"}
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_FORWARDED",
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\])(?::\d{{1,5}})?")
_APPLIED = "stalker_web.host_applied"


@dataclass(frozen=True)
class HostPolicy:
    """Where absolute URLs point (``scheme``/``host``, None to follow the request) and which
    peers may say otherwise."""

    scheme: str | None
    host: str | None
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]

    @classmethod
    def from_settings(cls, settings: dict) -> "HostPolicy":
        base_url = os.environ.get(BASE_URL_ENV_VAR) or settings.get("app.base_url", "")
        scheme, host = _parse_base_url(base_url.strip()) if base_url.strip() else (None, None)
        proxies = []
        for entry in aslist(settings.get("app.trusted_proxies", "")):
            try:
                proxies.append(ipaddress.ip_network(entry, strict=False))
            except ValueError as error:
                raise ConfigurationError(
                    f"app.trusted_proxies lists addresses or networks (such as 127.0.0.1 or "
                    f"10.0.0.0/8), not {entry!r}."
                ) from error
        return cls(scheme, host, tuple(proxies))

    def trusts(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self.trusted_proxies)

    def apply(self, environ: dict) -> None:
        """Set the scheme, host and client address the app will see in ``environ`` (once)."""
        if environ.get(_APPLIED):
            return
        environ[_APPLIED] = True
        scheme, host = self.scheme, self.host
        if self.trusts(environ.get("REMOTE_ADDR", "")):
            forwarded_host = _last_value(environ.get("HTTP_X_FORWARDED_HOST"))
            if forwarded_host and _HOST.fullmatch(forwarded_host):
                host = forwarded_host
            forwarded_proto = _last_value(environ.get("HTTP_X_FORWARDED_PROTO")).lower()
            if forwarded_proto in DEFAULT_PORTS:
                scheme = forwarded_proto
            client = _last_value(environ.get("HTTP_X_FORWARDED_FOR"))
            if _is_address(client):
                environ["REMOTE_ADDR"] = client
        for name in FORWARDED_HEADERS:
            environ.pop(name, None)
        if scheme is not None:
            environ["wsgi.url_scheme"] = scheme
            if scheme == "https":
                environ["HTTPS"] = "on"
            else:
                environ.pop("HTTPS", None)
        if host is not None:
            environ["HTTP_HOST"] = host
            name, port = _split_port(host)
            environ["SERVER_NAME"] = name
            environ["SERVER_PORT"] = port or DEFAULT_PORTS[environ["wsgi.url_scheme"]]


def _parse_base_url(base_url: str) -> tuple[str, str]:
    parts = urlsplit(base_url)
    if (
        parts.scheme not in DEFAULT_PORTS
        or not parts.netloc
        or not _HOST.fullmatch(parts.netloc)
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        raise ConfigurationError(
            f"app.base_url (or {BASE_URL_ENV_VAR}) is the scheme and host users reach the app "
            f"at, such as https://stalker.example.com, without a path; not {base_url!r}."
        )
    return parts.scheme, parts.netloc.lower()


def _last_value(header: str | None) -> str:
    """The value the nearest proxy added to a comma-separated forwarded header."""
    return (header or "").split(",")[-1].strip()


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _split_port(host: str) -> tuple[str, str | None]:
    if host.endswith("]") or ":" not in host:
        return host, None
    name, port = host.rsplit(":", 1)
    return name, port


def configured_host_tween_factory(handler, registry):
    """A tween that fixes the request's scheme, host and client address before anything reads
    them (see :class:`HostPolicy`)."""
    policy: HostPolicy = registry["stalker_web.host_policy"]

    def configured_host_tween(request):
        policy.apply(request.environ)
        return handler(request)

    return configured_host_tween


def add_security_headers(event) -> None:
    """The security headers of every response (see the module's docstring)."""
    request, response = event.request, event.response
    headers = response.headers
    headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    if request.registry["stalker_web.hsts"]:
        headers["Strict-Transport-Security"] = HSTS
    route = request.matched_route
    is_static = route is not None and route.name.startswith(STATIC_ROUTE_PREFIX)
    # Pages may show what only this user may see: no copy is kept, not even for the back button.
    # A view that chose its own caching (file downloads, the colour stylesheet) keeps it.
    if not is_static and "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"


def includeme(config) -> None:
    """Read the host settings (refusing malformed ones) and install the tween and the headers."""
    settings = config.get_settings()
    policy = HostPolicy.from_settings(settings)
    secure = asbool(settings.get("session.secure", True))
    if secure and policy.host is None:
        log.warning(
            "Set %s (or app.base_url): until then links and redirects follow the Host header "
            "of each request.",
            BASE_URL_ENV_VAR,
        )
    config.registry["stalker_web.host_policy"] = policy
    config.registry["stalker_web.hsts"] = secure
    config.add_tween("stalker_web.headers.configured_host_tween_factory", under=INGRESS)
    config.add_subscriber(add_security_headers, NewResponse)
