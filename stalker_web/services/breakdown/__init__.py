"""The breakdown: many assets, sequences and shots at once, CSV in and out."""
