"""Repository: a file server root as Linux, Windows and macOS see it, and path conversions."""

import re
from collections.abc import Iterable

from sqlalchemy import String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, validates

from .. import repository_paths as paths
from ..repository_paths import OS_NAMES, current_os, normalize_root
from .meta import Base, InvalidValue
from .mixins import CodeMixin, EntityMixin

_OS_LABELS = {"linux": "Linux", "windows": "Windows", "macos": "macOS"}
_CODE = re.compile(r"^[A-Za-z0-9_]+$")


class Repository(EntityMixin, CodeMixin, Base):
    """Stalker's Repository: one share, three OS roots, and the ``$REPO<code>`` variable.

    Unlike Stalker it never writes ``os.environ``: ``$REPO<code>`` in a path is expanded from the
    repository's own roots, and other variables or ``~`` are left alone.
    """

    __tablename__ = "repositories"
    __table_args__ = (UniqueConstraint("code"),)

    linux_path: Mapped[str] = mapped_column(String(256), default="")
    windows_path: Mapped[str] = mapped_column(String(256), default="")
    macos_path: Mapped[str] = mapped_column(String(256), default="")

    @validates("code")
    def _validate_code(self, key: str, value: str | None) -> str:
        code = CodeMixin._validate_code(self, key, value)
        if not _CODE.match(code):
            raise InvalidValue(
                key,
                "A repository code may only hold letters, digits and _ "
                "(it names the $REPO<code> environment variable).",
            )
        return code

    @validates("linux_path", "windows_path", "macos_path")
    def _validate_root(self, key: str, value: str | None) -> str:
        return normalize_root(value)

    @property
    def env_var(self) -> str:
        """The environment variable pipeline tools set to this repository's root: REPO<code>."""
        return paths.env_var(self.code)

    @property
    def roots(self) -> dict[str, str]:
        """The root on each system ("" where it has none)."""
        return {os_name: getattr(self, f"{os_name}_path") or "" for os_name in OS_NAMES}

    def root(self, os_name: str) -> str:
        """The root as ``os_name`` ("linux", "windows" or "macos") sees it."""
        if os_name not in OS_NAMES:
            raise ValueError(f"os_name must be one of {', '.join(OS_NAMES)}, not {os_name!r}")
        return getattr(self, f"{os_name}_path") or ""

    @property
    def path(self) -> str:
        """The root for the system this process runs on."""
        return self.root(current_os())

    def match(self, path: str) -> tuple[int, str] | None:
        """How well ``path`` matches (the matched prefix length) and its relative part, or None
        (see ``repository_paths.match``)."""
        return paths.match(self.code, self.roots, path)

    def is_in_repo(self, path: str) -> bool:
        """Whether ``path`` lies under one of the roots or starts with ``$REPO<code>``."""
        return self.match(path) is not None

    def make_relative(self, path: str) -> str:
        """``path`` relative to the repository root; a path outside it comes back unchanged."""
        return paths.relative_path(self.code, self.roots, path)

    def to_path(self, path: str, os_name: str) -> str:
        """``path`` as ``os_name`` sees it; a path outside the repository comes back unchanged."""
        if os_name in OS_NAMES and self.is_in_repo(path) and not self.root(os_name):
            raise InvalidValue(
                f"{os_name}_path", f"Repository {self.name} has no {_OS_LABELS[os_name]} root."
            )
        return paths.path_on(self.code, self.roots, path, os_name)

    def to_linux_path(self, path: str) -> str:
        return self.to_path(path, "linux")

    def to_windows_path(self, path: str) -> str:
        return self.to_path(path, "windows")

    def to_macos_path(self, path: str) -> str:
        return self.to_path(path, "macos")

    def to_native_path(self, path: str) -> str:
        """``path`` for the system this process runs on."""
        return self.to_path(path, current_os())

    def to_os_independent_path(self, path: str) -> str:
        """``$REPO<code>/relative/path`` for a path in this repository, else ``path`` unchanged."""
        return paths.os_independent_path(self.code, self.roots, path)


def _repositories(source: Session | Iterable[Repository]) -> Iterable[Repository]:
    if isinstance(source, Session):
        return source.scalars(select(Repository).order_by(Repository.id))
    return source


def find_repo(source: Session | Iterable[Repository], path: str) -> Repository | None:
    """The repository holding ``path`` among ``source`` (a session: every repository, or a list).

    The longest matching root wins, so a repository nested in another's share is found.
    """
    return paths.find_repository(_repositories(source), path, lambda r: r.code, lambda r: r.roots)


def to_os_independent_path(source: Session | Iterable[Repository], path: str) -> str:
    """``path`` as ``$REPO<code>/relative`` when a repository of ``source`` holds it."""
    repository = find_repo(source, path)
    return repository.to_os_independent_path(path) if repository else paths.slashes(path)
