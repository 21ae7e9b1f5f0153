"""Schedule runs through the API: starting one (the whole studio, or one project by its
managers) and following it."""
