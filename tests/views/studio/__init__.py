"""Tests of the studio pages."""
