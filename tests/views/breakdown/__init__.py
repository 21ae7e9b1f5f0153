"""Tests of the breakdown pages."""
