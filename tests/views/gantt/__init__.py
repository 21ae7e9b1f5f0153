"""Tests of the Gantt pages."""
