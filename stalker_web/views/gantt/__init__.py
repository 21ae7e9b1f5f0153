"""The Gantt chart pages."""
