"""Creates made once per key: the API's ``Idempotency-Key`` and the pages' one-time form
tokens share this.

The key is claimed (an ``IdempotencyRecord``, unique per person and key) in the transaction of
the create, before it: a retry arriving while the first is still running waits on that row
(PostgreSQL) or on the database's write lock (SQLite), then finds the answer committed with it.
A create that fails rolls its claim back with it, so the key can be used again.
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..models import IdempotencyRecord
from .transactions import savepoint


def answer_for(dbsession: Session, user_id: int, key: str) -> IdempotencyRecord | None:
    """The answer recorded for ``user_id``'s ``key``, if any."""
    return dbsession.scalars(
        select(IdempotencyRecord).where(
            IdempotencyRecord.user_id == user_id, IdempotencyRecord.key == key
        )
    ).one_or_none()


def claim_key(
    dbsession: Session, user_id: int, key: str, request_hash: str
) -> tuple[IdempotencyRecord | None, IdempotencyRecord | None]:
    """Claim ``key`` for the create about to be made: (the claim, None), whose ``status``,
    ``body`` and ``location`` the caller fills once it has made it; or (None, the record of the
    request that claimed it first), whose ``status`` is 0 while that request is still running."""
    earlier = answer_for(dbsession, user_id, key)
    if earlier is not None:
        return None, earlier
    claim = IdempotencyRecord(user_id=user_id, key=key, request_hash=request_hash, status=0)
    claim.body = None
    try:
        with savepoint(dbsession):
            dbsession.add(claim)
            dbsession.flush()
    except IntegrityError:
        return None, answer_for(dbsession, user_id, key)  # the other request committed meanwhile
    return claim, None
