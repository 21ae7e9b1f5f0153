"""Faults the app survives: conflicts between transactions retried (``retry``), the database
out of reach answered with a 503 page that needs nothing but the request (``outage``)."""


def includeme(config) -> None:
    """Install what lets the app ride out a fault (after ``.db``, which includes pyramid_retry)."""
    config.include(".retry")
    config.include(".outage")
