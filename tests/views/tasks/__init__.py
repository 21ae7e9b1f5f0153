"""Tests of the task pages."""
