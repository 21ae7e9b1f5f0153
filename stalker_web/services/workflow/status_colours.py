"""Status colours as CSS classes: pages name a class, since the content policy forbids styles."""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Status

_COLOUR = re.compile(r"#[0-9a-f]{6}")


def status_colours_stylesheet(dbsession: Session) -> str:
    """One rule per status colour: ``.status-colour-rrggbb { --status-color: #rrggbb; }``."""
    colours = sorted(
        colour
        for colour in dbsession.scalars(select(Status.color).distinct())
        if _COLOUR.fullmatch(colour or "")
    )
    return "".join(
        f".status-colour-{colour[1:]} {{ --status-color: {colour}; }}\n" for colour in colours
    )
