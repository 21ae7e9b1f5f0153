"""Tests of the version pages."""
