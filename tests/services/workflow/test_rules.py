"""The pure status tables: every row of the reference's tables 4.2 (re-evaluation) and 4.5."""

import pytest

from stalker_web.services.workflow import rules

UNFINISHED = ["WFD", "RTS", "WIP", "PREV", "HREV", "DREV", "OH"]

# (current, no dependencies (without logs, with logs), all finished, some unfinished)
REEVALUATION = [
    ("WFD", ("RTS", "RTS"), "RTS", "WFD"),
    ("RTS", ("RTS", "RTS"), "RTS", "WFD"),
    ("WIP", ("RTS", "WIP"), "WIP", "DREV"),
    ("PREV", ("PREV", "PREV"), "PREV", "PREV"),
    ("HREV", ("HREV", "HREV"), "HREV", "DREV"),
    ("DREV", ("RTS", "WIP"), "HREV", "DREV"),
    ("OH", ("OH", "OH"), "OH", "OH"),
    ("STOP", ("STOP", "STOP"), "STOP", "STOP"),
    ("CMPL", ("CMPL", "CMPL"), "CMPL", "DREV"),
]


@pytest.mark.parametrize(("current", "alone", "finished", "waiting"), REEVALUATION)
def test_every_row_of_the_reevaluation_table(current, alone, finished, waiting):
    assert rules.reevaluate(current, [], has_time_logs=False).code == alone[0]
    assert rules.reevaluate(current, [], has_time_logs=True).code == alone[1]
    for deps in (["CMPL"], ["STOP"], ["CMPL", "STOP"]):
        assert rules.reevaluate(current, deps, has_time_logs=True).code == finished
    for unfinished in UNFINISHED:
        assert rules.reevaluate(current, ["CMPL", unfinished], True).code == waiting


def test_drev_back_to_hrev_adds_a_step_only_when_nothing_is_left():
    assert rules.reevaluate("DREV", ["CMPL"], True, nothing_left=True).add_resolution_step
    assert not rules.reevaluate("DREV", ["CMPL"], True, nothing_left=False).add_resolution_step
    assert not rules.reevaluate("WIP", ["CMPL"], True, nothing_left=True).add_resolution_step


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        (set(), "WFD"),
        ({"WFD"}, "WFD"),
        ({"WFD", "STOP"}, "WFD"),
        ({"RTS"}, "RTS"),
        ({"RTS", "STOP"}, "RTS"),
        ({"WFD", "RTS"}, "RTS"),
        ({"WFD", "RTS", "STOP"}, "RTS"),
        ({"CMPL"}, "CMPL"),
        ({"STOP"}, "CMPL"),
        ({"CMPL", "STOP"}, "CMPL"),
        ({"WFD", "CMPL"}, "WIP"),
        ({"RTS", "CMPL"}, "WIP"),
        ({"OH"}, "WIP"),
        ({"PREV"}, "WIP"),
        ({"WIP"}, "WIP"),
        ({"HREV", "RTS"}, "WIP"),
        ({"DREV"}, "WIP"),
    ],
)
def test_every_row_of_the_container_table(children, expected):
    assert rules.container_code(children) == expected


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("log_time", {"RTS", "WIP", "PREV", "HREV", "DREV"}),
        ("request_review", {"WIP"}),
        ("request_revision", {"PREV", "CMPL"}),
        ("hold", {"WIP", "DREV", "OH"}),
        ("stop", {"WIP", "DREV", "STOP"}),
        ("resume", {"OH", "STOP"}),
        ("add_dependency", {"WFD", "RTS"}),
    ],
)
def test_the_statuses_each_action_is_allowed_from(action, allowed):
    assert {code for code in rules.ALL_CODES if rules.allowed(action, code)} == allowed


@pytest.mark.parametrize(
    ("current", "after"),
    [("RTS", "WIP"), ("HREV", "WIP"), ("WIP", "WIP"), ("PREV", "PREV"), ("DREV", "DREV")],
)
def test_logging_time_starts_the_work(current, after):
    assert rules.after_time_log(current) == after


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        (["APP"], "CMPL"),
        (["APP", "APP"], "CMPL"),
        (["RREV"], "HREV"),
        (["APP", "RREV"], "HREV"),
        (["APP", "NEW"], None),
        (["NEW"], None),
        ([], None),
    ],
)
def test_a_review_set_outcome(answers, outcome):
    assert rules.review_outcome(answers) == outcome
