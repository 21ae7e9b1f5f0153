"""Project health: late and at-risk tasks, progress per step, the burn-up chart, the overview."""
