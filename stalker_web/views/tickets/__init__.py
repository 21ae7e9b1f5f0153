"""The ticket pages: a project's list and its CSV, a new ticket, a ticket's page with its
workflow actions, links and related tickets, its edit page, and my tickets."""
