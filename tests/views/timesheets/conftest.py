"""Fixtures of the timesheet page tests: the workflow pages' project, artist and shot."""

from ..conftest import (  # noqa: F401  # noqa: F401
    artist_fixture,
    lead_fixture,
    lighting_fixture,
    project_fixture,
    shot_fixture,
    supervisor_fixture,
)
