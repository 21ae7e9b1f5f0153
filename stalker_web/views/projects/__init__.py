"""Pages of projects: settings, members, repositories and structures."""
