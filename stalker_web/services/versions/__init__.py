"""Versions, their uploaded files and the paths templates give them."""
