"""Scheduling runs: start, follow and read them."""
