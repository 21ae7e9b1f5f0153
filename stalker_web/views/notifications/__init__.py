"""Notification pages: my inbox, marking it read, and my notification preferences."""
