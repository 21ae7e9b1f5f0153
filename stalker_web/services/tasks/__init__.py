"""The task tree: creating, moving and editing tasks, dependencies, progress."""
