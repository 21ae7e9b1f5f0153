"""Workload: people's scheduled hours against their available hours, week by week."""
