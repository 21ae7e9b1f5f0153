"""Status and pipeline-step colours as CSS classes: pages name a class, since the content policy
forbids styles.

Every colour a Status has gets ``.status-colour-rrggbb { --status-color: #rrggbb; }`` and every
colour a Type has (pipeline steps, asset, shot, sequence and project types) gets
``.step-colour-rrggbb { --step-color: #rrggbb; }``; a page names the class for the colour and
its own stylesheet uses the custom property (``background: var(--step-color)``). Each rule also
sets ``--status-ink`` (or ``--step-ink``): dark or white, whichever reads better on that colour,
for text written on a filled badge.
"""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Status, Type

_COLOUR = re.compile(r"#[0-9a-f]{6}")
DARK_INK, LIGHT_INK = "#1d232a", "#ffffff"


def _luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of ``#rrggbb``."""
    channels = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1 contrast ratio between two ``#rrggbb`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ink_for(colour: str) -> str:
    """The text colour (dark or white) with the higher contrast on ``colour``."""
    dark, light = contrast_ratio(colour, DARK_INK), contrast_ratio(colour, LIGHT_INK)
    return DARK_INK if dark >= light else LIGHT_INK


def _rules(colours, prefix: str, prop: str) -> str:
    valid = sorted({colour for colour in colours if _COLOUR.fullmatch(colour or "")})
    ink = prop.replace("color", "ink")
    return "".join(
        f".{prefix}-{colour[1:]} {{ {prop}: {colour}; {ink}: {ink_for(colour)}; }}\n"
        for colour in valid
    )


def status_colours_stylesheet(dbsession: Session) -> str:
    """One rule per status colour and one per type colour (two queries)."""
    return _rules(
        dbsession.scalars(select(Status.color).distinct()), "status-colour", "--status-color"
    ) + _rules(dbsession.scalars(select(Type.color).distinct()), "step-colour", "--step-color")
