"""Helpers of the workflow, review and time-log service tests."""

from datetime import UTC, datetime

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)
