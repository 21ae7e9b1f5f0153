"""The Gantt charts of projects and people, and their export."""
