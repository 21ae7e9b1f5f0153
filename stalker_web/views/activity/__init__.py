"""Activity pages: a project's feed of who did what and when."""
