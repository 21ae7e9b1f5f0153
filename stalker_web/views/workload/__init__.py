"""The workload pages: people by weeks, scheduled against available hours."""
