"""The engine the app builds: what its database connections are set up with."""

import pytest
from sqlalchemy import text

from stalker_web.db import get_engine


def test_postgresql_connections_never_compile_queries_with_jit(db_url):
    """Page aggregates cost enough for PostgreSQL's JIT, whose compiling took longer than they
    run (see ``db.NO_JIT``)."""
    engine = get_engine({"sqlalchemy.url": db_url, "db.statement_timeout_seconds": "30"})
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no JIT")
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("SHOW jit")) == "off"
            assert connection.scalar(text("SHOW statement_timeout")) == "30s"
    finally:
        engine.dispose()
