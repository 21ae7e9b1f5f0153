"""Tests of the accounts services."""
