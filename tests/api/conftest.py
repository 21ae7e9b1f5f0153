"""The API's tests: tokens for the factory's people, and a client that sends them."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from stalker_web.models.meta import utcnow
from stalker_web.services.accounts.api_tokens import create_token

from .openapi_check import OpenApiCheck


def make_token(dbsession, user, scope: str = "write", expires_in_days: int | None = 30) -> str:
    """A new token of ``user``; its secret."""
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    _token, secret = create_token(dbsession, user, name="Tests", scope=scope, expires_at=expires_at)
    return secret


class ApiClient:
    """WebTest requests to the API with ``Authorization: Bearer <secret>`` (none: no header);
    every answer is checked against the OpenAPI document (``openapi_check``) when given."""

    def __init__(self, testapp, secret: str | None, openapi: OpenApiCheck | None = None) -> None:
        self.testapp, self.secret, self.openapi = testapp, secret, openapi

    def _checked(self, method: str, url: str, response):
        if self.openapi is not None:
            self.openapi.check(method, urlsplit(url).path, response)
        return response

    def headers(self, extra: dict | None = None) -> dict:
        headers = dict(extra or {})
        if self.secret is not None:
            headers.setdefault("Authorization", f"Bearer {self.secret}")
        return headers

    def get(self, url: str, status: int | str = 200, headers: dict | None = None, **params):
        response = self.testapp.get(
            url, params=params, headers=self.headers(headers), status=status
        )
        return self._checked("GET", url, response)

    def post(self, path: str, body=None, status: int | str = 201, headers: dict | None = None):
        response = self.testapp.post_json(
            path, body or {}, headers=self.headers(headers), status=status
        )
        return self._checked("POST", path, response)

    def patch(self, path: str, body=None, status: int | str = 200, headers: dict | None = None):
        response = self.testapp.patch_json(
            path, body or {}, headers=self.headers(headers), status=status
        )
        return self._checked("PATCH", path, response)

    def delete(self, path: str, status: int | str = 204, headers: dict | None = None):
        response = self.testapp.delete(path, headers=self.headers(headers), status=status)
        return self._checked("DELETE", path, response)

    def upload(self, path: str, files, fields=None, status: int | str = 201, headers=None):
        """A multipart POST: ``files`` as WebTest's ``upload_files`` [(field, name, bytes)]."""
        response = self.testapp.post(
            path,
            params=fields or {},
            upload_files=files,
            headers=self.headers(headers),
            status=status,
        )
        return self._checked("POST", path, response)


@pytest.fixture(scope="session")
def openapi(app) -> OpenApiCheck:
    return OpenApiCheck(app.registry)


@pytest.fixture
def api_as(testapp, dbsession, openapi):
    """``api_as(user, scope="write")``: a client signed in as ``user`` with a new token, whose
    every answer is checked against the OpenAPI document."""

    def client(user, scope: str = "write") -> ApiClient:
        return ApiClient(testapp, make_token(dbsession, user, scope), openapi)

    return client


@pytest.fixture
def api(api_as, factory):
    """A client of an ordinary user (no group, no project)."""
    return api_as(factory.user())
