"""Optimistic concurrency over HTTP: an object's ``ETag`` is its lock version, and an update
must send it back in ``If-Match``; one made on a stale copy is refused (412), one without it is
refused too (428), so two tools never overwrite each other's change unseen."""

from .errors import ApiError


def etag_of(entity) -> str:
    return f'"{entity.version_id}"'


def with_etag(request, entity) -> None:
    """Send ``entity``'s ETag with the response."""
    request.response.headers["ETag"] = etag_of(entity)


def matched_version(request, entity) -> int:
    """The lock version the request's ``If-Match`` names, once it is ``entity``'s current one
    (for the service's own check, which also catches a change made meanwhile)."""
    sent = request.headers.get("If-Match")
    if not sent:
        raise ApiError(
            428,
            "Send the object's ETag in If-Match (read it first), so a change made meanwhile "
            "is not overwritten.",
        )
    if sent.strip() != etag_of(entity):
        raise ApiError(
            412,
            "The object changed since you read it: read it again, then send your change with "
            "its new ETag.",
        )
    return entity.version_id
