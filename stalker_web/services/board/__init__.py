"""The production board: a project's shots or assets against its pipeline steps."""
