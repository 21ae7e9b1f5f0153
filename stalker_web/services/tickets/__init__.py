"""Tickets: a project's numbered issues following the studio's ticket workflow, with their links,
related tickets and log."""
