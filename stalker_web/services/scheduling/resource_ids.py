"""The .tjp ids of the people a run plans: ``User_<id>`` for a user, ``Temp_<person id>`` for a
what-if scenario's temporary person, who is a user with the NEGATIVE id ``-person id`` in the
scenario's snapshot (``services.scenarios.overlay``)."""

import re

# A resource id in tj3's text: its kind and number.
RESOURCE_ID = re.compile(r"\b(User|Temp)_(\d+)\b")


def resource_tj_id(user_id: int) -> str:
    """``User_3`` for user 3, ``Temp_3`` for the temporary person 3 (snapshot id -3)."""
    return f"User_{user_id}" if user_id >= 0 else f"Temp_{-user_id}"


def parse_resource_tj_id(text: str) -> int | None:
    """The snapshot id of a resource id (``User_3`` → 3, ``Temp_3`` → -3); None otherwise."""
    match = RESOURCE_ID.fullmatch(text.strip())
    return None if match is None else snapshot_id(match)


def snapshot_id(match: re.Match) -> int:
    """The snapshot id of a ``RESOURCE_ID`` match."""
    number = int(match.group(2))
    return number if match.group(1) == "User" else -number
