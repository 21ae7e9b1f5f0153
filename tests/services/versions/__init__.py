"""Tests of the versions services."""
