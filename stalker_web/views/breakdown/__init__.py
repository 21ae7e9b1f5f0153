"""The breakdown pages."""
