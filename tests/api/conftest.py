"""The API's tests: tokens for the factory's people, and a client that sends them."""

from datetime import timedelta

import pytest

from stalker_web.models.meta import utcnow
from stalker_web.services.accounts.api_tokens import create_token


def make_token(dbsession, user, scope: str = "write", expires_in_days: int | None = 30) -> str:
    """A new token of ``user``; its secret."""
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    _token, secret = create_token(dbsession, user, name="Tests", scope=scope, expires_at=expires_at)
    return secret


class ApiClient:
    """WebTest requests to the API with ``Authorization: Bearer <secret>`` (none: no header)."""

    def __init__(self, testapp, secret: str | None) -> None:
        self.testapp, self.secret = testapp, secret

    def headers(self, extra: dict | None = None) -> dict:
        headers = dict(extra or {})
        if self.secret is not None:
            headers.setdefault("Authorization", f"Bearer {self.secret}")
        return headers

    def get(self, path: str, status: int | str = 200, headers: dict | None = None, **params):
        return self.testapp.get(path, params=params, headers=self.headers(headers), status=status)

    def post(self, path: str, body=None, status: int | str = 201, headers: dict | None = None):
        return self.testapp.post_json(
            path, body or {}, headers=self.headers(headers), status=status
        )

    def patch(self, path: str, body=None, status: int | str = 200, headers: dict | None = None):
        return self.testapp.patch_json(
            path, body or {}, headers=self.headers(headers), status=status
        )

    def delete(self, path: str, status: int | str = 204, headers: dict | None = None):
        return self.testapp.delete(path, headers=self.headers(headers), status=status)

    def upload(self, path: str, files, fields=None, status: int | str = 201, headers=None):
        """A multipart POST: ``files`` as WebTest's ``upload_files`` [(field, name, bytes)]."""
        return self.testapp.post(
            path,
            params=fields or {},
            upload_files=files,
            headers=self.headers(headers),
            status=status,
        )


@pytest.fixture
def api_as(testapp, dbsession):
    """``api_as(user, scope="write")``: a client signed in as ``user`` with a new token."""

    def client(user, scope: str = "write") -> ApiClient:
        return ApiClient(testapp, make_token(dbsession, user, scope))

    return client


@pytest.fixture
def api(api_as, factory):
    """A client of an ordinary user (no group, no project)."""
    return api_as(factory.user())
