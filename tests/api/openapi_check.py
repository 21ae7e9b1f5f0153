"""Every answer of the API in the tests checked against the OpenAPI document the app serves:
its status must be documented for the operation, and a JSON body must match the schema."""

import re

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from stalker_web.api.openapi import openapi_document

DOCUMENT_URI = "urn:stalker-web:openapi"


def _escaped(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


class OpenApiCheck:
    """Checks responses of the app whose registry is given."""

    def __init__(self, registry) -> None:
        self.document = openapi_document(registry)
        self.registry = Registry().with_resource(
            DOCUMENT_URI, Resource.from_contents(self.document, default_specification=DRAFT202012)
        )
        self.paths = [
            (re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(path)) + "$"), path)
            for path in self.document["paths"]
        ]

    def template_of(self, path: str) -> str | None:
        for pattern, template in self.paths:
            if pattern.match(path):
                return template
        return None

    def check(self, method: str, path: str, response) -> None:
        """Raise AssertionError when ``response`` is not what the document says."""
        template = self.template_of(path)
        if template is None:
            assert response.status_int == 404, f"{method} {path}: not in the document"
            return
        operation = self.document["paths"][template].get(method.lower())
        if operation is None:
            assert response.status_int in (404, 405), f"{method} {template}: no such operation"
            return
        status = str(response.status_int)
        assert status in operation["responses"], f"{method} {template} answered {status}"
        if response.content_type != "application/json":
            return
        pointer = "/".join(
            ["#", "paths", _escaped(template), method.lower(), "responses", status, "content",
             _escaped("application/json"), "schema"]
        )  # fmt: skip
        validator = Draft202012Validator({"$ref": DOCUMENT_URI + pointer}, registry=self.registry)
        errors = sorted(validator.iter_errors(response.json), key=lambda error: error.path)
        assert not errors, f"{method} {template} {status}: " + "; ".join(
            f"{'/'.join(map(str, error.path))}: {error.message}" for error in errors[:5]
        )
