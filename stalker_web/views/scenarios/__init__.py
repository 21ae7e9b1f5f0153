"""What-if scenarios: try a plan of the whole studio without changing the live one."""
