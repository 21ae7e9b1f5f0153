"""The [tickets] section of the studio configuration: the label, the types, the resolutions and
the workflow as data, checked when the configuration is loaded so that a bad one stops the app at
start with the key named.

The workflow is ``[tickets.workflow.<action>]`` tables of ``from status code = to status code``,
every code one of the Ticket status list. Unlike the other tables of an override file, a
``[tickets.workflow]`` given there replaces the packaged workflow whole: a studio writes the
actions it wants, and an action or a move it leaves out is not merged back in from the defaults.
"""

import re
from collections.abc import Mapping
from typing import Any

from .errors import ConfigError

# An action is named in URLs and in the ticket log (32 characters): a-z, digits and "_".
ACTION_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
# What the ticket log calls the changes that are not workflow actions; no action takes their names.
RECORDED_CHANGES = ("create", "edit", "link", "unlink", "relate", "unrelate")
# The action that closes a ticket with one of the configured resolutions.
RESOLVE = "resolve"
LABEL_MAX_LENGTH = 64
TYPE_MAX_LENGTH = 256


def replace_workflow(config: dict[str, Any], override: Mapping[str, Any]) -> None:
    """Give ``config`` the override's ``[tickets.workflow]`` whole, when the override has one."""
    tickets = override.get("tickets")
    if isinstance(tickets, Mapping) and "workflow" in tickets:
        config["tickets"]["workflow"] = tickets["workflow"]


def _words(tickets: Mapping[str, Any], key: str, max_length: int) -> list[str]:
    """The list ``tickets.<key>`` of distinct, non-empty texts of at most ``max_length``."""
    values = tickets.get(key)
    if not isinstance(values, list):
        raise ConfigError(f'tickets.{key} must be a list of words such as ["fixed", "invalid"]')
    for value in values:
        if not isinstance(value, str) or not value.strip() or len(value) > max_length:
            raise ConfigError(
                f"tickets.{key}: {value!r} must be a text of 1 to {max_length} characters"
            )
    repeated = sorted({value for value in values if values.count(value) > 1})
    if repeated:
        raise ConfigError(f"tickets.{key} names {', '.join(repeated)} more than once")
    return values


def _checked_code(key: str, code: Any, statuses: Mapping[str, Any], ticket_codes: list) -> None:
    if not isinstance(code, str):
        raise ConfigError(f'{key}: {code!r} must be a status code in quotes, such as "CLS"')
    if code not in statuses:
        raise ConfigError(f"{key}: {code!r} is not a status; define it under [statuses] first")
    if code not in ticket_codes:
        raise ConfigError(
            f"{key}: {code!r} is not in status_lists.Ticket ({', '.join(ticket_codes)})"
        )


def _checked_action(action: Any, moves: Any, statuses: Mapping, ticket_codes: list) -> None:
    key = f"tickets.workflow.{action}"
    if not isinstance(action, str) or not ACTION_NAME.fullmatch(action):
        raise ConfigError(
            f"{key}: name an action with lower-case letters, digits and _ (at most 32 "
            "characters), starting with a letter"
        )
    if action in RECORDED_CHANGES:
        raise ConfigError(
            f"{key}: the ticket log already calls a change {action!r}; give the action another name"
        )
    if not isinstance(moves, Mapping):
        raise ConfigError(
            f'{key} must be a table of from-status code = to-status code (NEW = "CLS")'
        )
    if not moves:
        raise ConfigError(f"{key} is empty: give at least one from-status code = to-status code")
    for from_code, to_code in moves.items():
        _checked_code(f"{key}.{from_code}", from_code, statuses, ticket_codes)
        _checked_code(f"{key}.{from_code}", to_code, statuses, ticket_codes)


def validate_tickets(config: dict[str, Any]) -> None:
    """Check the [tickets] section against the statuses and the Ticket status list (both
    checked before); ConfigError names the first bad key."""
    from ..models.ticket import RESOLUTION_LENGTH

    tickets = config["tickets"]
    label = tickets.get("label")
    if not isinstance(label, str) or not label.strip() or len(label) > LABEL_MAX_LENGTH:
        raise ConfigError(
            f'tickets.label must be a word such as "Ticket" (1 to {LABEL_MAX_LENGTH} characters)'
        )
    _words(tickets, "types", TYPE_MAX_LENGTH)
    resolutions = _words(tickets, "resolutions", RESOLUTION_LENGTH)
    ticket_codes = config["status_lists"].get("Ticket")
    if not isinstance(ticket_codes, list) or not ticket_codes:
        raise ConfigError(
            "status_lists.Ticket must list the ticket statuses, a new ticket's status first"
        )
    workflow = tickets.get("workflow")
    if not isinstance(workflow, Mapping) or not workflow:
        raise ConfigError(
            "tickets.workflow must hold at least one action, such as [tickets.workflow.resolve]"
        )
    for action, moves in workflow.items():
        _checked_action(action, moves, config["statuses"], ticket_codes)
    if RESOLVE in workflow and not resolutions:
        raise ConfigError(
            "tickets.resolutions is empty, but tickets.workflow.resolve needs one to choose"
        )
