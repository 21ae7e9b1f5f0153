"""Carrying out a change of the work endpoints: in a savepoint (a refusal leaves nothing
behind, as on the pages), a create once per Idempotency-Key."""

from collections.abc import Callable
from typing import Any

from ...permissions import Permissions
from ...services.transactions import savepoint
from ..idempotency import idempotent

# What every create of a task's work declares: 201, an Idempotency-Key, 404 for what the
# caller may not read, 403 for what they may read but not change, 409 for a retry in progress.
CREATING = {
    "status": 201,
    "headers": ("Idempotency-Key",),
    "read_permission": Permissions.READ_TASK,
    "errors": (403, 409),
}


def changed(request, change: Callable[[], Any]) -> Any:
    """``change()`` in a savepoint undone when it raises."""
    with savepoint(request.dbsession):
        return change()


def created(request, create: Callable[[], Any], location: Callable[[Any], str]) -> Any:
    """Run ``create()`` (the new object's JSON) once per Idempotency-Key, answering 201 with the
    ``location(body)`` of what it made."""

    def answer() -> Any:
        body = create()
        request.response.status_int = 201
        request.response.headers["Location"] = location(body)
        return body

    return changed(request, lambda: idempotent(request, answer))
