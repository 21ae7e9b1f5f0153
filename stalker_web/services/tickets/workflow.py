"""The ticket workflow as data, read from the studio configuration (checked at start by
``config/ticket_workflow.py``): each action with the statuses it moves a ticket from and to, the
Ticket status list, the resolutions and the label tickets are named with. Pure: no query.

Stalker's four actions do more than move the status (``actions.py`` applies it): accept makes the
acting person the owner, resolve keeps the chosen resolution, reassign takes the new owner and
reopen clears the resolution. Any other action a studio adds only moves the status.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...config.ticket_workflow import RESOLVE

ACCEPT, REASSIGN, REOPEN = "accept", "reassign", "reopen"
# What a known action did to a ticket, as a refusal ("can be reopened") and the log say it.
PAST_TENSE = {ACCEPT: "accepted", RESOLVE: "resolved", REASSIGN: "reassigned", REOPEN: "reopened"}
# What a known action does besides moving the status, as the words after its button say it
# ("It becomes Accepted and you become its owner.").
SIDE_EFFECTS = {
    ACCEPT: "and you become its owner",
    RESOLVE: "with the resolution you choose",
    REASSIGN: "and the person you choose becomes its owner",
    REOPEN: "and its resolution is cleared",
}


def action_label(action: str) -> str:
    """An action as a button says it: "send_to_client" → "Send to client"."""
    return action.replace("_", " ").capitalize()


def either(names: list[str]) -> str:
    """ "New", "New or Closed", "New, Accepted or Closed"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


@dataclass(frozen=True)
class TicketWorkflow:
    """The studio's tickets: ``moves`` is {action: {from code: to code}} in the configuration's
    order, ``status_codes`` the Ticket status list (a new ticket takes the first)."""

    label: str
    moves: Mapping[str, Mapping[str, str]]
    status_codes: tuple[str, ...]
    resolutions: tuple[str, ...]

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "TicketWorkflow":
        tickets = config["tickets"]
        return cls(
            label=tickets["label"].strip(),
            moves={action: dict(moves) for action, moves in tickets["workflow"].items()},
            status_codes=tuple(config["status_lists"]["Ticket"]),
            resolutions=tuple(tickets["resolutions"]),
        )

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self.moves)

    @property
    def initial_code(self) -> str:
        """The status of a new ticket."""
        return self.status_codes[0]

    @property
    def closed_codes(self) -> frozenset[str]:
        """The statuses a ticket counts as closed in: those the resolve action moves to."""
        return frozenset(self.moves.get(RESOLVE, {}).values())

    @property
    def open_codes(self) -> tuple[str, ...]:
        return tuple(code for code in self.status_codes if code not in self.closed_codes)

    def target(self, action: str, code: str) -> str | None:
        """The status ``action`` moves a ticket in ``code`` to; None when it does not apply."""
        return self.moves.get(action, {}).get(code)

    def from_codes(self, action: str) -> list[str]:
        """The statuses ``action`` applies to, in the order of the status list."""
        moves = self.moves.get(action, {})
        return [code for code in self.status_codes if code in moves]

    def refusal(self, action: str, current: str, names: Mapping[str, str]) -> str:
        """Why ``action`` does not apply to a ticket whose status is named ``current``, with the
        statuses it applies to in their ``names`` by code ("Reopen: only a Closed ticket can be
        reopened; this one is Accepted.")."""
        allowed = [names.get(each, each) for each in self.from_codes(action)]
        done = PAST_TENSE.get(action)
        outcome = f"can be {done}" if done else "can take this step"
        return (
            f"{action_label(action)}: only {_article(allowed[0])} {either(allowed)} ticket "
            f"{outcome}; this one is {current}."
        )
