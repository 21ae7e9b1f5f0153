"""Tests of the scheduling pages."""
