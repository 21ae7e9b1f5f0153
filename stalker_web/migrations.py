"""Running the Alembic migrations from the application (CLI and tests)."""

from pathlib import Path

from alembic.config import Config
from sqlalchemy.engine import Connection

from alembic import command

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """Alembic's config, pointed at an open connection or a database URL."""
    config = Config(str(ALEMBIC_INI))
    if connection is not None:
        config.attributes["connection"] = connection
    if url is not None:
        config.attributes["database_url"] = url
    return config


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Migrate the database behind ``connection`` up to ``revision``."""
    command.upgrade(alembic_config(connection=connection), revision)
