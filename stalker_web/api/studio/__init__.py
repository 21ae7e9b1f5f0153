"""The API of the studio's lookups: statuses and types."""
