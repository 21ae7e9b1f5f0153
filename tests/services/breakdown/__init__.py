"""Tests of the breakdown services."""
