"""The moment the workflow, review and time-log tests start from: a Monday, 09:00 UTC (a
working hour of the default studio calendar)."""

from datetime import UTC, datetime

MONDAY = datetime(2026, 3, 2, 9, tzinfo=UTC)
