"""The home page: where a person's day starts."""
