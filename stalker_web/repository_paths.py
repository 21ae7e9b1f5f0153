"""Paths in repositories, as plain functions of a repository's code and roots: which repository
a path lies in, the path relative to its root, the same path on another system, and the
system-independent ``$REPO<code>/...`` form.

One place for this knowledge, used by the server's ``models.repository.Repository`` and by the
pipeline client (``stalker_web.client``), so it imports only the standard library and runs on
the Python 3.7 that some DCCs embed (no newer syntax here).

A repository's roots are a mapping of system name ("linux", "windows", "macos") to its root
with forward slashes and one trailing "/" ("" where it has none).
"""

import platform
import posixpath
import re
from typing import Callable, Iterable, Mapping, Optional, Tuple, TypeVar

OS_NAMES = ("linux", "windows", "macos")
_PLATFORMS = {"Linux": "linux", "Windows": "windows", "Darwin": "macos"}
# An env-var reference occupies the whole first path component, so $REPOPRJ2 is not $REPOPRJ.
_VARIABLE_FORMS = (r"\$REPO{code}", r"\$\{{REPO{code}\}}", r"%REPO{code}%")

T = TypeVar("T")


def current_os() -> str:
    """The system this process runs on: "linux", "windows" or "macos"."""
    return _PLATFORMS.get(platform.system(), "linux")


def slashes(path: str) -> str:
    """``path`` stripped, with forward slashes."""
    return (path or "").strip().replace("\\", "/")


def normalize_root(path: Optional[str]) -> str:
    """A root with forward slashes and one trailing "/" ("" stays "": no root for that system)."""
    root = slashes(path or "").rstrip("/")
    return root + "/" if root else ""


def env_var(code: str) -> str:
    """The environment variable pipeline tools set to a repository's root: REPO<code>."""
    return "REPO" + code


def _relative(length: int, rest: str) -> Optional[Tuple[int, str]]:
    rest = rest.strip("/")
    if not rest:
        return length, ""
    relative = posixpath.normpath(rest)
    if relative == ".." or relative.startswith("../"):
        return None
    return length, "" if relative == "." else relative


def match(code: str, roots: Mapping[str, str], path: str) -> Optional[Tuple[int, str]]:
    """How well ``path`` matches the repository (the matched prefix length) and its relative
    part, or None.

    A leading ``$REPO<code>`` (also ``${REPO<code>}`` or ``%REPO<code>%``) wins over any root;
    roots compare case-sensitively except Windows'. ``..`` that leaves the root is no match.
    """
    text = slashes(path)
    for form in _VARIABLE_FORMS:
        found = re.match(form.format(code=re.escape(code)) + r"(?=/|$)", text)
        if found:
            return _relative(len(text) + 1, text[found.end() :])
    best = None
    for os_name in OS_NAMES:
        root = roots.get(os_name) or ""
        candidate = text + "/" if not text.endswith("/") else text
        if os_name == "windows":
            candidate, root = candidate.lower(), root.lower()
        if root and candidate.startswith(root) and (best is None or len(root) > best[0]):
            best = (len(root), text[len(root) :])
    return _relative(*best) if best else None


def relative_path(code: str, roots: Mapping[str, str], path: str) -> str:
    """``path`` relative to the repository root; a path outside it comes back unchanged."""
    found = match(code, roots, path)
    return found[1] if found else slashes(path)


def path_on(code: str, roots: Mapping[str, str], path: str, os_name: str) -> str:
    """``path`` as ``os_name`` sees it; a path outside the repository comes back unchanged.
    ValueError when the repository has no root on that system."""
    if os_name not in OS_NAMES:
        raise ValueError("os_name must be one of {}, not {!r}".format(", ".join(OS_NAMES), os_name))
    found = match(code, roots, path)
    if found is None:
        return slashes(path)
    root = roots.get(os_name) or ""
    if not root:
        raise ValueError(f"the repository has no {os_name} root")
    return root + found[1]


def os_independent_path(code: str, roots: Mapping[str, str], path: str) -> str:
    """``$REPO<code>/relative/path`` for a path in the repository, else ``path`` unchanged."""
    found = match(code, roots, path)
    if found is None:
        return slashes(path)
    variable = "$" + env_var(code)
    return variable + "/" + found[1] if found[1] else variable


def find_repository(
    repositories: Iterable[T],
    path: str,
    code_of: Callable[[T], str],
    roots_of: Callable[[T], Mapping[str, str]],
) -> Optional[T]:
    """The repository holding ``path`` among ``repositories``: the longest matching root wins,
    so a repository nested in another's share is found."""
    best = None
    for repository in repositories:
        found = match(code_of(repository), roots_of(repository), path)
        if found and (best is None or found[0] > best[0]):
            best = (found[0], repository)
    return best[1] if best else None
