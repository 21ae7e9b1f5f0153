"""The JSON Schemas of the API's objects (OpenAPI 3.1: JSON Schema 2020-12), registered by the
module that answers with them (``schema``) and gathered in the document's components."""

from typing import Any

from .operations import ref

SCHEMAS: dict[str, dict[str, Any]] = {}

ID = {"type": "integer", "minimum": 1}
NULLABLE_ID = {"type": ["integer", "null"], "minimum": 1}
DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": ["string", "null"]}


def schema(name: str, properties: dict[str, Any], **extra: Any) -> dict[str, str]:
    """Register the object schema ``name`` (every property required, no others: a response
    holds them all, sparse fields aside) and return a reference to it."""
    if name in SCHEMAS:
        raise ValueError(f"The API schema {name} is registered twice.")
    SCHEMAS[name] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        **extra,
    }
    return ref(name)


def _named(reference: dict[str, str]) -> dict[str, Any]:
    return SCHEMAS[reference["$ref"].rsplit("/", 1)[1]]


def properties_of(reference: dict[str, str]) -> list[str]:
    """The property names of the registered schema ``reference`` points to."""
    return list(_named(reference)["properties"])


def sparse(reference: dict[str, str]) -> dict[str, Any]:
    """An item of a list that takes ``?fields=``: the schema, with only ``id`` required."""
    return {**_named(reference), "required": ["id"]}


ERROR = schema(
    "Error",
    {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "For programs: not_found, invalid..."},
                "message": {"type": "string", "description": "For people: what to do."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "What to fix, by field of the request body.",
                },
            },
        }
    },
)
