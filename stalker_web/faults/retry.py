"""Conflicts between transactions, retried: serialization failures and deadlocks.

PostgreSQL cancels one of two transactions that conflict (SQLSTATE class 40: a serialization
failure under REPEATABLE READ or SERIALIZABLE, a deadlock under any level) and says it "might
succeed if retried". pyramid_retry sends a request through again when its error is marked
retryable, but pyramid_tm only marks the errors that escape the views: ours become an error page
first, whose 500 status makes pyramid_tm's commit veto abort before it marks anything, and an
error raised by the commit itself comes after the transaction has let go of the session that
could have recognised it. So the error is marked where it is raised, by the engine, and a
retryable error that reaches the error views answers nothing (pyramid_retry throws the answer
away and tries again); on the last attempt it is not retryable and the error page shows.

A retried attempt's transaction was rolled back, so the mails, webhook deliveries and schedule
runs it asked for were never handed over: they go out after a commit only.
"""

import logging

from pyramid.response import Response
from pyramid_retry import mark_error_retryable
from sqlalchemy import event
from sqlalchemy.engine import Engine, ExceptionContext

log = logging.getLogger(__name__)

# SQLSTATE class 40, "transaction rollback": 40001 serialization failure, 40P01 deadlock.
TRANSACTION_ROLLBACK_CLASS = "40"


def is_transaction_conflict(database_error: BaseException | None) -> bool:
    """Whether the driver's error is PostgreSQL cancelling a transaction for a conflict."""
    sqlstate = getattr(database_error, "sqlstate", None) or ""
    return sqlstate.startswith(TRANSACTION_ROLLBACK_CLASS)


@event.listens_for(Engine, "handle_error")
def _mark_conflicts_retryable(context: ExceptionContext) -> None:
    if context.sqlalchemy_exception is not None and is_transaction_conflict(
        context.original_exception
    ):
        mark_error_retryable(context.sqlalchemy_exception)


def retried_view(exc, request) -> Response:
    """The answer to an attempt that will be tried again: never sent."""
    log.info("retrying %s %s after %s", request.method, request.path, type(exc).__name__)
    return Response(status=503)


def includeme(config) -> None:
    """Catch retryable errors before the error pages (the HTML and the API's) do."""
    config.add_exception_view(retried_view, context=Exception, retryable_error=True)
