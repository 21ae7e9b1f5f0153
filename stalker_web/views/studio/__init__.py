"""The home page, studio settings, vacations and error pages."""
