"""HTTP for the client with the standard library only: JSON in and out, the token, retries
with back-off, and an ``Idempotency-Key`` kept across the retries of a create, so a create
retried after a dropped connection never makes two objects."""

import json
import socket
import time
import uuid
from typing import Any, Dict, Mapping, Optional, Tuple
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from .errors import ConnectionFailed, error_for

USER_AGENT = "stalker_web-client/1"
# Answers worth trying again: the server or a proxy was briefly unavailable.
RETRY_STATUSES = (429, 502, 503, 504)


class Response:
    """An answer: its status, headers and body (parsed JSON, or the raw bytes of a file)."""

    def __init__(self, status: int, headers: Mapping[str, str], body: Any) -> None:
        self.status, self.headers, self.body = status, headers, body


class Transport:
    """Sends requests to ``base_url`` (the server, e.g. https://pam.studio.example) with the
    token; ``retries`` more tries after a connection error or a retryable answer."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"The server's address starts with http:// or https://: {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self.token, self.timeout, self.retries, self.backoff = token, timeout, retries, backoff

    def url(self, path: str, params: Optional[Mapping[str, Any]] = None) -> str:
        query = {k: v for k, v in (params or {}).items() if v is not None}
        return self.base_url + path + ("?" + urlencode(query, doseq=True) if query else "")

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        json_body: Any = None,
        body: Optional[bytes] = None,
        content_type: Optional[str] = None,
        headers: Optional[Dict[str, str]] = None,
        create: bool = False,
    ) -> Response:
        """Send one request (retried as the rules above say) and return its answer; raise the
        API's error as an exception. ``create``: send an Idempotency-Key, so it may be retried."""
        headers = dict(headers or {})
        headers.setdefault("Authorization", "Bearer " + self.token)
        headers.setdefault("Accept", "application/json")
        headers.setdefault("User-Agent", USER_AGENT)
        if json_body is not None:
            body = json.dumps(json_body).encode("utf-8")
            content_type = "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        if create:
            headers.setdefault("Idempotency-Key", str(uuid.uuid4()))
        may_retry = method in ("GET", "HEAD") or "Idempotency-Key" in headers
        url = self.url(path, params)
        attempt = 0
        while True:
            try:
                status, answer_headers, raw = self._send(method, url, body, headers)
            except ConnectionFailed:
                if not may_retry or attempt >= self.retries:
                    raise
                self._wait(attempt, None)
                attempt += 1
                continue
            if status in RETRY_STATUSES and may_retry and attempt < self.retries:
                self._wait(attempt, answer_headers.get("Retry-After"))
                attempt += 1
                continue
            parsed = _parse(raw, answer_headers.get("Content-Type", ""))
            if status >= 400:
                raise error_for(status, parsed)
            return Response(status, answer_headers, parsed)

    def _send(
        self, method: str, url: str, body: Optional[bytes], headers: Dict[str, str]
    ) -> Tuple[int, Dict[str, str], bytes]:
        request = Request(url, data=body, headers=headers, method=method)  # noqa: S310
        try:
            with urlopen(request, timeout=self.timeout) as answer:  # noqa: S310 - see __init__
                return answer.status, dict(answer.headers.items()), answer.read()
        except HTTPError as error:
            with error:
                return error.code, dict(error.headers.items()), error.read()
        except (URLError, socket.timeout, ConnectionError) as error:
            raise ConnectionFailed(f"Could not reach {self.base_url}: {error}") from error

    def _wait(self, attempt: int, retry_after: Optional[str]) -> None:
        delay = self.backoff * (2**attempt)
        if retry_after and retry_after.isdigit():
            delay = max(delay, float(retry_after))
        time.sleep(min(delay, 60.0))


def _parse(raw: bytes, content_type: str) -> Any:
    if content_type.startswith("application/json"):
        return json.loads(raw.decode("utf-8")) if raw else None
    return raw
