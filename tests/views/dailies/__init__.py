"""Tests of the dailies pages."""
