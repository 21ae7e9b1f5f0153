"""Dailies pages: a project's dailies, a daily's versions (added by hand or collected by what was
published), the walk through them one page each with its answers, and the closed summary."""
