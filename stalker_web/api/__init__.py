"""The JSON API under ``/api/v1/`` for pipeline tools: the same contexts, ACLs and services as
the pages, signed in by personal tokens only (never the cookie, so no CSRF token is needed),
answering JSON for everything including errors, documented by the OpenAPI document it serves.

Layout: ``routes.py`` (the address table), ``operations.py`` (declaring a view and its
documentation at once), ``schemas.py``, ``errors.py``, ``listing.py`` (cursor pages, sparse
fields), ``concurrency.py`` (ETag/If-Match), ``idempotency.py`` (Idempotency-Key),
``rate_limits.py``, ``openapi.py``, then one package per domain (``accounts/``, ``projects/``...).
"""

from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from .openapi import openapi_document


@view_config(
    route_name="api.openapi",
    request_method="GET",
    permission=NO_PERMISSION_REQUIRED,
    renderer="json",
    http_cache=300,
)
def openapi(request) -> dict:
    """The OpenAPI document (public: it describes the API, no data)."""
    return openapi_document(request.registry, request.application_url)


def includeme(config) -> None:
    config.include(".routes")
    config.include(".rate_limits")
    config.scan(".")
