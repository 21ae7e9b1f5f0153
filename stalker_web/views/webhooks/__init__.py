"""Webhook pages: the studio's and a project's hooks, a hook's page with its delivery log."""
