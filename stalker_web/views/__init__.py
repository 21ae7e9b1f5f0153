"""HTTP views: parse the request, let the context's ACL authorize, call a service, render."""

from urllib.parse import urlsplit


def safe_next_url(request, candidate: str | None, default_route: str = "home") -> str:
    """``candidate`` if it is a path on this site, else the default page (no open redirects)."""
    if candidate:
        parts = urlsplit(candidate)
        if (
            not parts.scheme
            and not parts.netloc
            and candidate.startswith("/")
            and not candidate.startswith("//")
            and "\\" not in candidate
        ):
            return request.application_url + candidate
    return request.route_url(default_route)


def remote_addr(request) -> str:
    return request.client_addr or ""
