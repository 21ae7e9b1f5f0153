"""Use cases of the application; they take a Session, never a request."""
