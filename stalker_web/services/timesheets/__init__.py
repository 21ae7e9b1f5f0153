"""Weekly timesheets: the hours-per-day grid of a person's week, and submitted and locked weeks."""
