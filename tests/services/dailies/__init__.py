"""Tests of the dailies services."""
