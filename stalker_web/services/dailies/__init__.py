"""Dailies: a lead's review sessions of a project's versions, collected by hand or by what was
published since a moment, walked through one version at a time and answered through the review
workflow, then closed with a summary to the people concerned."""
