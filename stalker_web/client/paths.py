"""Paths on disk and the studio's repositories, for tools inside a DCC: the repository a path
lives in, the path relative to it, and the same file on this system (the rules are the
server's own: ``stalker_web.repository_paths``). A repository is the API's dict
(``Client.repositories``): ``code`` and ``roots`` by system."""

from typing import Any, Dict, Iterable, Optional

from .. import repository_paths

Repository = Dict[str, Any]


def find_repository(repositories: Iterable[Repository], path: str) -> Optional[Repository]:
    """The repository holding ``path`` (a path of any system, or ``$REPO<code>/...``)."""
    return repository_paths.find_repository(
        repositories, path, lambda r: r["code"], lambda r: r["roots"]
    )


def relative_path(repository: Repository, path: str) -> str:
    """``path`` relative to ``repository``'s root."""
    return repository_paths.relative_path(repository["code"], repository["roots"], path)


def native_path(repository: Repository, path: str, os_name: Optional[str] = None) -> str:
    """``path`` as this system (or ``os_name``) sees it."""
    system = os_name or repository_paths.current_os()
    return repository_paths.path_on(repository["code"], repository["roots"], path, system)


def os_independent_path(repository: Repository, path: str) -> str:
    """``$REPO<code>/relative/path``: the same on every system."""
    return repository_paths.os_independent_path(repository["code"], repository["roots"], path)
