"""``Idempotency-Key`` on creates: a tool that retries after a dropped connection sends the same
key and gets the first answer again, never a second object.

The key is claimed in the transaction of the create, before it (``services/idempotency.py``,
shared with the pages' one-time form tokens). Another request sent with a key already used is
refused (422); answers are kept for ``KEEP_HOURS``.
"""

import hashlib
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from ..models import IdempotencyRecord
from ..models.api import IDEMPOTENCY_KEY_LENGTH
from ..models.meta import utcnow
from ..services.idempotency import claim_key
from .errors import ApiError

HEADER = "Idempotency-Key"
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?')
KEEP_HOURS = 24


def _request_hash(request) -> str:
    """What tells two requests apart: the method, the path and the body (a multipart body with
    its boundary, which a client chooses anew at every send, retries too, set aside)."""
    body = request.body or b""
    found = _BOUNDARY.search(request.headers.get("Content-Type", ""))
    if request.content_type == "multipart/form-data" and found:
        body = body.replace(b"--" + found.group(1).encode("latin-1"), b"--boundary")
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def _replay(request, record: IdempotencyRecord, request_hash: str) -> Any:
    if record.request_hash != request_hash:
        raise ApiError(
            422,
            f"This {HEADER} was used for another request; send a new key with a new request.",
            "idempotency_key_reused",
        )
    request.response.status_int = record.status
    if record.location:
        request.response.headers["Location"] = record.location
    request.response.headers["Idempotent-Replayed"] = "true"
    return record.body


def idempotent(request, create: Callable[[], Any]) -> Any:
    """Answer the create ``create`` makes (its body; it sets the status and Location), once per
    ``Idempotency-Key`` when the request has one."""
    key = request.headers.get(HEADER)
    if key is None:
        return create()
    key = key.strip()
    if not key or len(key) > IDEMPOTENCY_KEY_LENGTH or not key.isascii():
        raise ApiError(
            400,
            f"An {HEADER} is 1 to {IDEMPOTENCY_KEY_LENGTH} ASCII characters (a UUID is good).",
            "invalid_header",
        )
    request_hash = _request_hash(request)
    claim, earlier = claim_key(request.dbsession, request.user.id, key, request_hash)
    if claim is None:
        if earlier is None or not earlier.status:
            raise ApiError(
                409, f"A request with this {HEADER} is being handled; retry in a moment."
            )
        return _replay(request, earlier, request_hash)
    body = create()
    claim.status = request.response.status_int
    claim.body = body
    claim.location = request.response.headers.get("Location", "")
    return body


def forget_answer(sessions: sessionmaker, user_id: int, request) -> None:
    """Forget the answer kept for the key of ``user_id``'s ``request``, in a transaction of its
    own: what it created was undone after its commit (a run the queue could not take), so a
    retry with the same key is made anew rather than given that answer."""
    key = request.headers.get(HEADER)
    if key is None:
        return
    with sessions() as dbsession, dbsession.begin():
        dbsession.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key.strip()
            )
        )


def forget_old_answers(dbsession: Session) -> int:
    """Delete the answers older than ``KEEP_HOURS``; how many (the worker's hourly job)."""
    result = dbsession.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.date_created < utcnow() - timedelta(hours=KEEP_HOURS)
        )
    )
    return result.rowcount or 0
