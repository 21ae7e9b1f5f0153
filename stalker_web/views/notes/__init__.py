"""Notes pages: adding a note to a project or one of its tasks, versions and reviews, changing
one, its history and its attached files."""
