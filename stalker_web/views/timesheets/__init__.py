"""Weekly timesheet pages: saving the hours grid, submitting a week, a lead's locks."""
