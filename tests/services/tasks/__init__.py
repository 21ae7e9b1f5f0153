"""Tests of the task services."""
