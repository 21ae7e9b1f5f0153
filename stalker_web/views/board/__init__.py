"""The production board pages."""
