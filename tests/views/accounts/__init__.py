"""Tests of the accounts pages."""
