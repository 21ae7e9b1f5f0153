"""Declaring an API operation once: ``api_view`` registers the Pyramid view (JSON, its
permission, no CSRF: the API signs in by token only) and records what the OpenAPI document
says of it, so every route is documented and every documented operation exists.

    @api_view("api.projects.view", "GET", Permissions.READ_PROJECT,
              summary="A project", tag="projects", response=ref("Project"))
    def project(context, request): ...

``read_permission`` is what a caller needs to see the object a change is about: without it a
refused change answers 404 rather than 403 (see ``errors``). ``body`` is the JSON Schema of a
JSON request body (or ``multipart`` with a file); ``query`` the query parameters.
"""

from dataclasses import dataclass, field
from typing import Any

import venusian
from pyramid.view import view_config

from ..services.accounts.api_tokens import count_request

JSON = "application/json"
MULTIPART = "multipart/form-data"


@dataclass(frozen=True)
class Param:
    """A query parameter: its name, JSON Schema and description."""

    name: str
    schema: dict[str, Any]
    description: str
    required: bool = False


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says of one route and method."""

    route_name: str
    method: str
    summary: str
    tag: str
    response: dict[str, Any] | None
    status: int = 200
    description: str = ""
    body: dict[str, Any] | None = None
    body_media: str = JSON
    query: tuple[Param, ...] = ()
    read_permission: str | None = None
    # Extra request headers it reads: "Idempotency-Key", "If-Match".
    headers: tuple[str, ...] = ()
    # A response that is not JSON (a file download): its media type.
    response_media: str = JSON
    errors: tuple[int, ...] = field(default=(401, 404, 429))


# Where an app's registry keeps the operations its scan found, by (route name, method).
REGISTRY_KEY = "stalker_web.api.operations"


def ref(name: str) -> dict[str, str]:
    """A reference to the schema ``name`` of the document's components."""
    return {"$ref": f"#/components/schemas/{name}"}


def api_view(
    route_name: str,
    method: str,
    permission: str,
    *,
    summary: str,
    tag: str,
    response: dict[str, Any] | None,
    **described: Any,
):
    """Register the decorated function as the JSON view of ``route_name`` and ``method`` and
    record its ``Operation`` in the registry of the app whose scan finds it (so an app knows
    the operations it serves, and only those: an extension's are its apps' own)."""
    operation = Operation(route_name, method, summary, tag, response, **described)
    register_view = view_config(
        route_name=route_name,
        request_method=method,
        permission=permission,
        renderer="json",
        require_csrf=False,
        decorator=counted,
        _depth=1,  # venusian keeps a callback of the module that applied the decorator
    )

    def decorate(wrapped):
        def record(scanner, _name, _wrapped) -> None:
            scanner.config.registry.setdefault(REGISTRY_KEY, {})[(route_name, method)] = operation

        venusian.attach(wrapped, record, category="pyramid", depth=1)
        return register_view(wrapped)

    return decorate


def operations(registry) -> list[Operation]:
    """The operations the app serves, in the order its scans found them."""
    return list(registry.get(REGISTRY_KEY, {}).values())


def counted(view):
    """Count the request against its token's rate limit once ``view`` has answered (see
    ``rate_limits``)."""

    def counting_view(context, request):
        response = view(context, request)
        if request.api_token is not None:
            count_request(request.dbsession, request.api_token)
        return response

    return counting_view


def operation_of(request) -> Operation | None:
    """The operation the request asked for (None: no route, or a method it does not take)."""
    route = request.matched_route
    if route is None:
        return None
    return request.registry.get(REGISTRY_KEY, {}).get((route.name, request.method))
