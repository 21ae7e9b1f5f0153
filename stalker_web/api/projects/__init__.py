"""The API of projects."""
