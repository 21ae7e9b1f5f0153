"""What lasts as long as a session's transaction: memos kept until it ends, and work run once
it has committed (mail handed to the job queue), forgotten when it rolls back.

This works the same for a request's session (committed by pyramid_tm through zope.sqlalchemy),
the worker's and the command line's: all of them end in the session's own commit or rollback.
Releasing or rolling back a savepoint ends nothing.
"""

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

log = logging.getLogger(__name__)

_MEMOS = "transaction.memos"
_AFTER_COMMIT = "transaction.after_commit"


def _begun(dbsession: Session) -> dict[str, Any]:
    """``dbsession.info``, its transaction begun (so that its end is seen)."""
    if not dbsession.in_transaction():
        dbsession.begin()
    return dbsession.info


def transaction_memo(dbsession: Session, name: str) -> dict[Any, Any]:
    """A dict named ``name`` that lives until ``dbsession``'s transaction ends."""
    return _begun(dbsession).setdefault(_MEMOS, {}).setdefault(name, {})


def call_after_commit(dbsession: Session, callback: Callable[[], None]) -> None:
    """Run ``callback()`` once ``dbsession``'s transaction has committed; never if it rolls
    back. A failing callback is logged: the commit is done and stays done."""
    _begun(dbsession).setdefault(_AFTER_COMMIT, []).append(callback)


def _forget(dbsession: Session) -> list[Callable[[], None]]:
    dbsession.info.pop(_MEMOS, None)
    return dbsession.info.pop(_AFTER_COMMIT, [])


@event.listens_for(Session, "after_commit")
def _committed(dbsession: Session) -> None:
    if dbsession.in_nested_transaction():  # a savepoint released: the real commit is to come
        return
    for callback in _forget(dbsession):
        try:
            callback()
        except Exception:
            log.exception("work waiting for the commit failed")


@event.listens_for(Session, "after_transaction_end")
def _ended(dbsession: Session, transaction: SessionTransaction) -> None:
    """A transaction rolled back or closed (after a commit, there is nothing left); a
    savepoint's end and the flushes' inner transactions end nothing."""
    if transaction.parent is None:
        _forget(dbsession)
