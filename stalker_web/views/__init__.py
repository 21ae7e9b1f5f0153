"""HTTP views: parse the request, let the context's ACL authorize, call a service, render."""

from urllib.parse import urlsplit

from ..limits import URL_MAX_LENGTH, control_characters


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


def remote_addr(request) -> str:
    return request.client_addr or ""
