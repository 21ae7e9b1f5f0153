"""The task status workflow as pure tables (reference, section 4): no database here.

Leaf statuses follow Stalker's actions and the re-evaluation against the dependencies
(``reevaluate``); a container's status is derived from the distinct statuses of its children
(``container_code``).
"""

from collections.abc import Iterable
from dataclasses import dataclass

WFD, RTS, WIP, PREV, HREV, DREV, OH, STOP, CMPL = (
    "WFD",
    "RTS",
    "WIP",
    "PREV",
    "HREV",
    "DREV",
    "OH",
    "STOP",
    "CMPL",
)
ALL_CODES = (WFD, RTS, WIP, PREV, HREV, DREV, OH, STOP, CMPL)
# A dependency in one of these no longer holds its dependents back.
FINISHED = frozenset({CMPL, STOP})
# After a review set is finalised, the dependencies pointing at a task in one of these become
# ``onstart``, so TaskJuggler schedules the revised task and its dependents in parallel.
ONSTART_AFTER_REVISION = frozenset({HREV, PREV, DREV, OH, STOP})

# The statuses each leaf action is allowed from (reference table 4.2).
LOG_TIME = "log_time"
REQUEST_REVIEW = "request_review"
REQUEST_REVISION = "request_revision"
HOLD = "hold"
STOP_ACTION = "stop"
RESUME = "resume"
ADD_DEPENDENCY = "add_dependency"
ALLOWED_FROM = {
    LOG_TIME: frozenset({RTS, WIP, PREV, HREV, DREV}),
    REQUEST_REVIEW: frozenset({WIP}),
    REQUEST_REVISION: frozenset({PREV, CMPL}),
    HOLD: frozenset({WIP, DREV, OH}),
    STOP_ACTION: frozenset({WIP, DREV, STOP}),
    RESUME: frozenset({OH, STOP}),
    ADD_DEPENDENCY: frozenset({WFD, RTS}),
}
# Which statuses allow each action, in words, for refusals; ``{statuses}`` gets their names.
ACTION_LABELS = {
    LOG_TIME: "Time can only be logged on a task that is {statuses}",
    REQUEST_REVIEW: "A review can only be requested for a task that is {statuses}",
    REQUEST_REVISION: "A revision can only be requested for a task that is {statuses}",
    HOLD: "Only a task that is {statuses} can be put on hold",
    STOP_ACTION: "Only a task that is {statuses} can be stopped",
    RESUME: "Only a task that is {statuses} can be resumed",
    ADD_DEPENDENCY: "Dependencies can only be added to a task that is {statuses}",
}


def allowed(action: str, code: str) -> bool:
    """Whether a leaf in status ``code`` may take ``action``."""
    return code in ALLOWED_FROM[action]


def after_time_log(code: str) -> str:
    """Logging time starts the work: RTS and HREV become WIP; WIP, PREV and DREV stay."""
    return WIP if code in (RTS, HREV) else code


@dataclass(frozen=True)
class Reevaluation:
    """The status a leaf takes against its dependencies, and whether its schedule must grow by
    one timing-resolution step (DREV → HREV with nothing left to do)."""

    code: str
    add_resolution_step: bool = False


def reevaluate(
    code: str, dependency_codes: Iterable[str], has_time_logs: bool, nothing_left: bool = False
) -> Reevaluation:
    """Re-evaluate a leaf in status ``code`` against the statuses of its dependencies
    (Stalker's ``update_status_with_dependent_statuses``, table 4.2).

    ``nothing_left``: its logged time has reached its schedule; a DREV task going back to HREV
    then gets one timing-resolution step more (Stalker adds it when logged == scheduled; an
    over-logged task gets it too here, as it has nothing left to work with either).
    """
    codes = set(dependency_codes)
    if code in (PREV, OH, STOP):
        return Reevaluation(code)
    started = WIP if has_time_logs else RTS
    if not codes:
        if code in (WFD, RTS):
            return Reevaluation(RTS)
        if code in (WIP, DREV):
            return Reevaluation(started)
        return Reevaluation(code)  # HREV, CMPL
    if codes <= FINISHED:
        if code in (WFD, RTS):
            return Reevaluation(RTS)
        if code == DREV:
            return Reevaluation(HREV, add_resolution_step=nothing_left)
        return Reevaluation(code)  # WIP, HREV, CMPL
    # Some dependency is not finished.
    if code in (WFD, RTS):
        return Reevaluation(WFD)
    return Reevaluation(DREV)  # WIP, HREV, DREV, CMPL


def container_code(child_codes: Iterable[str]) -> str:
    """A container's status from the distinct statuses of its children (table 4.5)."""
    codes = set(child_codes)
    if not codes or codes <= {WFD, STOP}:
        return WFD if (not codes or WFD in codes) else CMPL
    if codes <= {RTS, WFD, STOP} and RTS in codes:
        return RTS
    if codes <= FINISHED:
        return CMPL
    return WIP


def review_outcome(answers: Iterable[str]) -> str | None:
    """The task's status once a review set is answered: None while an answer is missing (NEW),
    HREV when any reviewer asked for a revision (RREV), else CMPL (all approved)."""
    answers = list(answers)
    if not answers or "NEW" in answers:
        return None
    return HREV if "RREV" in answers else CMPL
