"""The status workflow: actions, rules, reviews and time logs."""
