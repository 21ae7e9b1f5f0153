"""The home page: the sections that fit who is looking (their work, what changed for them, their
department, their reviews, their projects, the studio), each in a fixed number of queries."""
