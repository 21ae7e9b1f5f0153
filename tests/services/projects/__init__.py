"""Tests of the projects services."""
