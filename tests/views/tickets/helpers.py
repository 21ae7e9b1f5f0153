"""Helpers of the ticket page tests: logging in, the flash messages, the text of a part."""

from ...conftest import login


def logged_in(testapp, user):
    """``testapp`` logged in as ``user`` through the login form."""
    login(testapp, user.login)
    return testapp


def flashes(page) -> str:
    """The text of the flash messages on ``page``."""
    return " ".join(node.get_text(" ", strip=True) for node in page.html.select(".flash"))


def text_of(page, element_id: str) -> str:
    """The words of the element ``element_id`` of ``page``."""
    return page.html.find(id=element_id).get_text(" ", strip=True)
