"""Status actions, time logs, the timesheet, My tasks and reviews."""
