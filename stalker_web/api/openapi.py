"""The OpenAPI 3.1 document of the API, built from the operations the API's modules declared
(``operations.api_view``) and the route table, served at ``/api/v1/openapi.json``."""

import re
from typing import Any

from pyramid.interfaces import IRoutesMapper

from .errors import CODES
from .operations import JSON, Operation, operations
from .schemas import SCHEMAS

TITLE = "stalker_web API"
VERSION = "1"
_PLACEHOLDER = re.compile(r"\{(\w+)(?::[^}]*)?\}")
ERROR_WORDS = {
    400: "The request is malformed (a parameter, a cursor, a header).",
    401: "No valid API token was sent.",
    403: "Refused (the message says why): the token's owner may not do this, the token is read "
    "only, or its owner must first change their password or set up two-factor sign-in.",
    404: "Nothing is here, or the caller may not see it.",
    409: "It conflicts with the current state (changed meanwhile, a retry in progress).",
    412: "If-Match names an older version of the object.",
    422: "The input breaks a rule, or the workflow refuses the change (the message says why).",
    428: "An update needs If-Match with the object's ETag.",
    429: "Too many requests from this token this minute (see Retry-After).",
    503: "A service it needs cannot be reached (the message says which); nothing was done: "
    "retry later (see Retry-After).",
}


def openapi_path(pattern: str) -> tuple[str, list[str]]:
    """``/api/v1/tasks/{task_id:[0-9]+}`` as ``/api/v1/tasks/{task_id}``, and its placeholders."""
    return _PLACEHOLDER.sub(r"{\1}", pattern), _PLACEHOLDER.findall(pattern)


def _parameters(operation: Operation, placeholders: list[str]) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
        for name in placeholders
    ]
    parameters += [
        {
            "name": param.name,
            "in": "query",
            "required": param.required,
            "description": param.description,
            "schema": param.schema,
        }
        for param in operation.query
    ]
    for header in operation.headers:
        parameters.append(
            {
                "name": header,
                "in": "header",
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
            }
        )
    return parameters


def _responses(operation: Operation) -> dict[str, Any]:
    if operation.response is None:
        success: dict[str, Any] = {"description": "Done."}
    elif operation.response_media != JSON:
        success = {
            "description": "The file.",
            "content": {operation.response_media: {"schema": operation.response}},
        }
    else:
        success = {"description": "OK.", "content": {JSON: {"schema": operation.response}}}
    responses = {str(operation.status): success}
    errors = set(operation.errors) | {401, 403, 404, 429}
    if operation.query or operation.headers:
        errors.add(400)
    if operation.body is not None:
        errors |= {400, 422}
    for status in sorted(errors):
        responses[str(status)] = {
            "description": ERROR_WORDS.get(status, CODES.get(status, "Error")),
            "content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    return responses


def openapi_document(registry, server_url: str = "/") -> dict[str, Any]:
    """The whole document: every declared operation under its route's path."""
    mapper = registry.getUtility(IRoutesMapper)
    paths: dict[str, dict[str, Any]] = {}
    for operation in operations(registry):
        route = mapper.get_route(operation.route_name)
        if route is None:
            raise LookupError(f"API operation of an unknown route: {operation.route_name}")
        path, placeholders = openapi_path(route.pattern)
        entry: dict[str, Any] = {
            "operationId": f"{operation.route_name}.{operation.method.lower()}",
            "summary": operation.summary,
            "tags": [operation.tag],
            "parameters": _parameters(operation, placeholders),
            "responses": _responses(operation),
        }
        if operation.description:
            entry["description"] = operation.description
        if operation.body is not None:
            media = operation.body_media
            entry["requestBody"] = {
                "required": True,
                "content": {media: {"schema": operation.body}},
            }
        paths.setdefault(path, {})[operation.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": TITLE,
            "version": VERSION,
            "description": "The studio's data for pipeline tools: see docs/api.md.",
        },
        "servers": [{"url": server_url}],
        "security": [{"token": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token.",
                }
            },
        },
    }
