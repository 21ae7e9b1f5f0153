"""Fixtures of the notification pages: the activity tests' crew and publishing session."""

from ...services.activity.conftest import crew_fixture, publishing_fixture  # noqa: F401
