"""A user's display zone: the IANA zone their pages show and read dates in (none: the
studio's)."""

from sqlalchemy.orm import Session

from ...models import User
from ...time_zones import UnknownTimeZone, checked_zone_name
from ..errors import ValidationError


def set_display_zone(dbsession: Session, user: User, typed: str | None) -> User:
    """Give ``user`` the zone named ``typed``; blank means the studio's zone. An unknown name is
    refused under the ``time_zone`` field."""
    text = (typed or "").strip()
    if not text:
        user.time_zone = None
    else:
        try:
            user.time_zone = checked_zone_name(text)
        except UnknownTimeZone as error:
            raise ValidationError(str(error), "time_zone") from error
    dbsession.flush()
    return user
