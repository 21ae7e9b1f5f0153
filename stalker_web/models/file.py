"""File: a file a version produced, stored in a repository under a path relative to its root."""

import posixpath
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .meta import Base, InvalidValue
from .mixins import EntityMixin
from .repository import OS_NAMES, Repository

if TYPE_CHECKING:
    from .version import Version


def checked_relative_path(key: str, value: str | None) -> str:
    """A path relative to a repository root, with "/" separators, that cannot leave the root."""
    text = (value or "").strip().replace("\\", "/")
    if not text:
        raise InvalidValue(key, "A file needs a path inside its repository.")
    normal = posixpath.normpath(text)
    if text.startswith("/") or normal == ".." or normal.startswith("../") or normal == ".":
        raise InvalidValue(key, "A file's path must stay inside its repository root.")
    return normal


class File(EntityMixin, Base):
    """Stalker's File, as an output of one version (Stalker's ``Version.files``).

    ``relative_path`` is under the repository root, so the path on any system is the root plus
    it and the OS-independent form is ``$REPO<code>/relative_path`` (Stalker's convention).
    A (repository, path) pair is UNIQUE: two rows can never claim the same file on disk.
    ``thumbnail_path`` (relative too) is set for images that got a generated thumbnail.
    """

    __tablename__ = "files"
    __table_args__ = (UniqueConstraint("repository_id", "relative_path"),)

    # Not ``version_id``: that is EntityMixin's optimistic-lock column.
    owner_version_id: Mapped[int] = mapped_column(
        ForeignKey("versions.id", ondelete="CASCADE"), index=True
    )
    repository_id: Mapped[int] = mapped_column(ForeignKey("repositories.id"), index=True)
    relative_path: Mapped[str] = mapped_column(String(1024))
    original_filename: Mapped[str] = mapped_column(String(256), default="")
    mime_type: Mapped[str] = mapped_column(String(128), default="application/octet-stream")
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    thumbnail_path: Mapped[str | None] = mapped_column(String(1024))

    version: Mapped["Version"] = relationship(
        foreign_keys=[owner_version_id], back_populates="files"
    )
    repository: Mapped[Repository] = relationship()

    def __init__(self, **values) -> None:
        """The name defaults to the file name of ``relative_path``."""
        if not (values.get("name") or "").strip():
            path = checked_relative_path("relative_path", values.get("relative_path"))
            values["name"] = posixpath.basename(path)[:256]
        values.setdefault("original_filename", values["name"])
        super().__init__(**values)

    @validates("relative_path")
    def _validate_relative_path(self, key: str, value: str | None) -> str:
        return checked_relative_path(key, value)

    @validates("thumbnail_path")
    def _validate_thumbnail_path(self, key: str, value: str | None) -> str | None:
        return None if value is None else checked_relative_path(key, value)

    @validates("size")
    def _validate_size(self, key: str, value) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidValue(key, "A file size is a number of bytes, 0 or more.")
        return value

    @validates("original_filename")
    def _validate_original_filename(self, key: str, value: str | None) -> str:
        return posixpath.basename((value or "").replace("\\", "/"))[:256]

    @property
    def filename(self) -> str:
        return posixpath.basename(self.relative_path)

    @property
    def extension(self) -> str:
        """The extension with its dot (".exr"), or ""."""
        return posixpath.splitext(self.relative_path)[1]

    @property
    def full_path(self) -> str:
        """The OS-independent path: ``$REPO<code>/relative_path``."""
        return f"${self.repository.env_var}/{self.relative_path}"

    def path_for(self, os_name: str) -> str:
        """The path as ``os_name`` sees it ("" when the repository has no root for it)."""
        root = self.repository.root(os_name)
        return root + self.relative_path if root else ""

    @property
    def paths(self) -> dict[str, str]:
        """The path for every system, by OS name (linux, windows, macos)."""
        return {os_name: self.path_for(os_name) for os_name in OS_NAMES}
