"""The run-wide counter that keeps generated names, logins and codes unique."""

import itertools

_numbers = itertools.count(1)


def next_number() -> int:
    """A number no earlier call in this test run has returned."""
    return next(_numbers)
