"""Status and pipeline-step colours as CSS classes: pages name a class, since the content policy
forbids styles.

Every colour a Status has gets ``.status-colour-rrggbb { --status-color: #rrggbb; }`` and every
colour a Type has (pipeline steps, asset, shot, sequence and project types) gets
``.step-colour-rrggbb { --step-color: #rrggbb; }``; a page names the class for the colour and
its own stylesheet uses the custom property (``background: var(--step-color)``).
"""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Status, Type

_COLOUR = re.compile(r"#[0-9a-f]{6}")


def _rules(colours, prefix: str, prop: str) -> str:
    valid = sorted({colour for colour in colours if _COLOUR.fullmatch(colour or "")})
    return "".join(f".{prefix}-{colour[1:]} {{ {prop}: {colour}; }}\n" for colour in valid)


def status_colours_stylesheet(dbsession: Session) -> str:
    """One rule per status colour and one per type colour (two queries)."""
    return _rules(
        dbsession.scalars(select(Status.color).distinct()), "status-colour", "--status-color"
    ) + _rules(dbsession.scalars(select(Type.color).distinct()), "step-colour", "--step-color")
