"""Repository: a file server root as Linux, Windows and macOS see it, and path conversions."""

import platform
import posixpath
import re
from collections.abc import Iterable

from sqlalchemy import String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column, validates

from .meta import Base, InvalidValue
from .mixins import CodeMixin, EntityMixin

OS_NAMES = ("linux", "windows", "macos")
_OS_LABELS = {"linux": "Linux", "windows": "Windows", "macos": "macOS"}
_PLATFORMS = {"Linux": "linux", "Windows": "windows", "Darwin": "macos"}
_CODE = re.compile(r"^[A-Za-z0-9_]+$")
# An env-var reference occupies the whole first path component, so $REPOPRJ2 is not $REPOPRJ.
_VARIABLE_FORMS = (r"\$REPO{code}", r"\$\{{REPO{code}\}}", r"%REPO{code}%")


def current_os() -> str:
    """The system this process runs on: "linux", "windows" or "macos"."""
    return _PLATFORMS.get(platform.system(), "linux")


def _slashes(path: str) -> str:
    return (path or "").strip().replace("\\", "/")


def normalize_root(path: str | None) -> str:
    """A root with forward slashes and one trailing "/" ("" stays "": no root for that system)."""
    root = _slashes(path or "").rstrip("/")
    return f"{root}/" if root else ""


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
        return f"REPO{self.code}"

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
        """How well ``path`` matches (the matched prefix length) and its relative part, or None.

        A leading ``$REPO<code>`` (also ``${REPO<code>}`` or ``%REPO<code>%``) wins over any root;
        roots compare case-sensitively except Windows'. ``..`` that leaves the root is no match.
        """
        text = _slashes(path)
        for form in _VARIABLE_FORMS:
            found = re.match(form.format(code=re.escape(self.code)) + r"(?=/|$)", text)
            if found:
                return self._relative(len(text) + 1, text[found.end() :])
        best = None
        for os_name in OS_NAMES:
            root = self.root(os_name)
            candidate = f"{text}/" if not text.endswith("/") else text
            if os_name == "windows":
                candidate, root = candidate.lower(), root.lower()
            if root and candidate.startswith(root) and (best is None or len(root) > best[0]):
                best = (len(root), text[len(root) :])
        return self._relative(*best) if best else None

    @staticmethod
    def _relative(length: int, rest: str) -> tuple[int, str] | None:
        rest = rest.strip("/")
        if not rest:
            return length, ""
        relative = posixpath.normpath(rest)
        if relative == ".." or relative.startswith("../"):
            return None
        return length, "" if relative == "." else relative

    def is_in_repo(self, path: str) -> bool:
        """Whether ``path`` lies under one of the roots or starts with ``$REPO<code>``."""
        return self.match(path) is not None

    def make_relative(self, path: str) -> str:
        """``path`` relative to the repository root; a path outside it comes back unchanged."""
        found = self.match(path)
        return found[1] if found else _slashes(path)

    def to_path(self, path: str, os_name: str) -> str:
        """``path`` as ``os_name`` sees it; a path outside the repository comes back unchanged."""
        found = self.match(path)
        if found is None:
            return _slashes(path)
        root = self.root(os_name)
        if not root:
            raise InvalidValue(
                f"{os_name}_path", f"Repository {self.name} has no {_OS_LABELS[os_name]} root."
            )
        return root + found[1]

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
        found = self.match(path)
        if found is None:
            return _slashes(path)
        return f"${self.env_var}/{found[1]}" if found[1] else f"${self.env_var}"


def _repositories(source: Session | Iterable[Repository]) -> Iterable[Repository]:
    if isinstance(source, Session):
        return source.scalars(select(Repository).order_by(Repository.id))
    return source


def find_repo(source: Session | Iterable[Repository], path: str) -> Repository | None:
    """The repository holding ``path`` among ``source`` (a session: every repository, or a list).

    The longest matching root wins, so a repository nested in another's share is found.
    """
    best: tuple[int, Repository] | None = None
    for repository in _repositories(source):
        found = repository.match(path)
        if found and (best is None or found[0] > best[0]):
            best = (found[0], repository)
    return best[1] if best else None


def to_os_independent_path(source: Session | Iterable[Repository], path: str) -> str:
    """``path`` as ``$REPO<code>/relative`` when a repository of ``source`` holds it."""
    repository = find_repo(source, path)
    return repository.to_os_independent_path(path) if repository else _slashes(path)
