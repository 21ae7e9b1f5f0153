"""Helpers of the workflow page tests: their Monday, logging a user in, reading flash messages."""

from datetime import UTC, datetime

from ...conftest import login

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)


def logged_in(testapp, user):
    """``testapp`` logged in as ``user`` through the login form."""
    login(testapp, user.login)
    return testapp


def flashes(page) -> str:
    """The text of the flash messages on ``page``."""
    return " ".join(node.get_text(" ", strip=True) for node in page.html.select(".flash"))
