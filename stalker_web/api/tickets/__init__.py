"""The tickets of the API: a project's list and new tickets, a ticket with its workflow actions,
its edits and the actions themselves (the ticket services decide, as on the pages)."""
