"""Tests of the project pages."""
