"""A studio's own additions, without forking: Python packages named in the ini file
(``stalker_web.extensions = acme_pipeline``, several separated by spaces or lines) are included in
the app after its own parts (each an ordinary Pyramid ``includeme``: routes, views, API
operations, subscribers) and their migrations run with the app's.

An extension's models use ``stalker_web.models.meta.Base``; its Alembic revisions live in a
``migrations`` folder of the package, on a branch of their own (``branch_labels``) that starts
from a revision of the app (``depends_on``), so the app's and the studio's migrations each keep
their own line (see ``examples/acme_pipeline``).
"""

import importlib.util
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SETTING = "stalker_web.extensions"
MIGRATIONS_FOLDER = "migrations"


def extension_names(settings: Mapping[str, Any]) -> list[str]:
    """The packages the settings name, in their order."""
    return (settings.get(SETTING) or "").replace(",", " ").split()


def migration_folders(names: list[str]) -> list[str]:
    """The ``migrations`` folders of the named packages that have one; an unknown package is
    refused with its name."""
    folders = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise ValueError(f"{SETTING}: no package named {name!r} can be imported")
        for location in spec.submodule_search_locations:
            folder = Path(location) / MIGRATIONS_FOLDER
            if folder.is_dir():
                folders.append(str(folder))
    return folders


def include_extensions(config) -> None:
    """Include every extension the app's settings name."""
    for name in extension_names(config.get_settings()):
        config.include(name)
