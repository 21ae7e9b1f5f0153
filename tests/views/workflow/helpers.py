"""Helpers of the workflow page tests: their Monday, logging a user in, reading flash messages,
a task put under review."""

from datetime import timedelta

from stalker_web.services.workflow.reviews import request_review
from stalker_web.services.workflow.time_logs import create_time_log

from ...conftest import login
from ...factories.calendar import MONDAY


def logged_in(testapp, user):
    """``testapp`` logged in as ``user`` through the login form."""
    login(testapp, user.login)
    return testapp


def flashes(page) -> str:
    """The text of the flash messages on ``page``."""
    return " ".join(node.get_text(" ", strip=True) for node in page.html.select(".flash"))


def under_review(dbsession, factory, project, artist, responsible, name, day):
    """A task of ``artist``'s with an hour logged on Monday + ``day`` days, under review by
    ``responsible``: the task and its reviews."""
    task = factory.task(project=project, resources=[artist], responsible=responsible, name=name)
    start = MONDAY + timedelta(days=day)
    create_time_log(dbsession, task, artist, start, start + timedelta(hours=1))
    return task, request_review(dbsession, task, artist)
