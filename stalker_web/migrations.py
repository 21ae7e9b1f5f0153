"""Running the Alembic migrations from the application (CLI and tests)."""

import os
from collections.abc import Sequence
from pathlib import Path

from alembic.config import Config
from sqlalchemy.engine import Connection

from alembic import command

ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


def alembic_config(
    connection: Connection | None = None,
    url: str | None = None,
    extension_folders: Sequence[str] = (),
) -> Config:
    """Alembic's config, pointed at an open connection or a database URL; the revisions of the
    app and those of the extensions' ``extension_folders``."""
    config = Config(str(ALEMBIC_INI))
    if extension_folders:
        locations = [str(ALEMBIC_INI.parent / "alembic" / "versions"), *extension_folders]
        config.set_main_option("path_separator", "os")
        config.set_main_option("version_locations", os.pathsep.join(locations))
    if connection is not None:
        config.attributes["connection"] = connection
    if url is not None:
        config.attributes["database_url"] = url
    return config


def upgrade(
    connection: Connection, revision: str = "heads", extension_folders: Sequence[str] = ()
) -> None:
    """Migrate the database behind ``connection`` up to ``revision`` (default: the latest of
    the app and of every extension's branch)."""
    config = alembic_config(connection=connection, extension_folders=extension_folders)
    command.upgrade(config, revision)
