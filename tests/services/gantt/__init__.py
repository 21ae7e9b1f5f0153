"""Tests of the Gantt services."""
