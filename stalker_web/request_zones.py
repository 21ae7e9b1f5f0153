"""The time zones a request shows and reads dates in: the studio's, and the viewer's own."""

from .services.tasks.progress import studio_calendar
from .time_zones import DEFAULT_ZONE


def studio_time_zone(request) -> str:
    """The studio's zone (UTC before the studio exists)."""
    try:
        return studio_calendar(request.dbsession).time_zone
    except LookupError:
        return DEFAULT_ZONE


def viewer_time_zone(request) -> str:
    """The signed-in user's display zone, else the studio's."""
    user = request.user
    if user is not None and user.time_zone:
        return user.time_zone
    return request.studio_time_zone


def includeme(config) -> None:
    config.add_request_method(studio_time_zone, "studio_time_zone", reify=True)
    config.add_request_method(viewer_time_zone, "time_zone", reify=True)
