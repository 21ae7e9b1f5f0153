"""A fixture of the tests that run the app as in production with its job queue: each module
using it gives a ``settings`` fixture (its database and queue storage)."""

import pytest

from stalker_web.db import get_engine, get_session_factory


@pytest.fixture
def session_factory(settings):
    """Sessions of the database ``settings`` names, committed by the test itself."""
    engine = get_engine(settings)
    yield get_session_factory(engine)
    engine.dispose()
