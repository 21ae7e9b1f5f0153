"""Tests of the workflow services."""
