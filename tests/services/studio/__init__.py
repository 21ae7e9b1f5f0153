"""Tests of the studio services."""
