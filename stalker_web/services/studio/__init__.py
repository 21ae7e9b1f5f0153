"""The studio: its settings, initial data, demo and large studios, vacations."""
