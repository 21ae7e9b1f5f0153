"""Tests of the workflow pages."""
