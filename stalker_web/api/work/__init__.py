"""The artist's work through the API: versions and their files, time logs and reviews."""
