"""Webhooks: registering hooks, turning events into signed deliveries, sending them (the
worker's job) with retries, and replaying them from the log."""
