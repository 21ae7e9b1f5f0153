"""The notes of the API: the notes on a project, a task, a version or a ticket, adding one, and
one note (the notes services decide, as on the pages)."""
