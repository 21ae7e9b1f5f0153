"""Versions and their files."""
