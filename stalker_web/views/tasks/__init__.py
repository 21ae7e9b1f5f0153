"""The task tree and task pages: creating, editing, moving and linking tasks."""
