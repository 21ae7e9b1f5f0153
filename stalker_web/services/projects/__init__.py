"""Projects: their settings, members, repositories and structures."""
