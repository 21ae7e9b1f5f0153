"""Storing an uploaded file of a version in its project's repository, with a thumbnail.

Everything is checked before anything is stored: the type by extension (the ``[uploads]``
configuration lists those accepted) and by content (the file's first bytes must be what the
extension claims), the size against ``uploads.max_bytes``, and images must open in Pillow. The
upload is written to a temporary file under the repository root, then linked to its final
name, which never replaces an existing file. If the database transaction is rolled back
afterwards, the stored files (and the folders made for them) are removed again.
"""

import contextlib
import os
import posixpath
import tempfile
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...file_kinds import KNOWN_KINDS, FileKind
from ...models import File, Repository, Version
from ...models.repository import current_os
from ..errors import ValidationError
from ..transactions import hold_write_lock
from .file_paths import RenderedPath, version_file_path

CHUNK_BYTES = 1024 * 1024
HEADER_BYTES = 16
THUMBNAIL_FOLDER = ".thumbnails"
FREE_NAME_ATTEMPTS = 100


@dataclass(frozen=True)
class UploadRules:
    """What may be uploaded: the accepted extensions, the size limit, the thumbnail size."""

    extensions: tuple[str, ...]
    max_bytes: int
    thumbnail_pixels: int

    @classmethod
    def from_config(cls, config: dict) -> "UploadRules":
        """The rules of the studio configuration's ``[uploads]`` section (validated at start)."""
        uploads = config["uploads"]
        return cls(
            extensions=tuple(uploads["extensions"]),
            max_bytes=uploads["max_bytes"],
            thumbnail_pixels=uploads["thumbnail_pixels"],
        )

    @property
    def accepted(self) -> str:
        return ", ".join(self.extensions)


def readable_size(size: int) -> str:
    """1536 → "1.5 KB" (powers of 1024)."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def checked_kind(filename: str, rules: UploadRules) -> tuple[str, FileKind]:
    """The extension (lower case) and kind of ``filename``, refused unless the rules accept it."""
    extension = posixpath.splitext(filename)[1].lower()
    if not extension:
        raise ValidationError(
            f"{filename} has no extension; accepted types: {rules.accepted}.", "upload"
        )
    if extension not in rules.extensions:
        raise ValidationError(
            f"Files of type {extension} are not accepted; accepted types: {rules.accepted}.",
            "upload",
        )
    return extension, KNOWN_KINDS[extension]


def repository_folder(repository: Repository) -> str:
    """The repository root on this server, which must be an existing folder."""
    root = repository.root(current_os())
    if not root or not os.path.isdir(root):
        raise ValidationError(
            f"Repository {repository.name} has no folder on this server "
            f"({root or 'no root set'}); ask an administrator to fix its root."
        )
    return os.path.realpath(root)


class _Staged:
    """Files written under a repository root but not yet (or no longer) wanted; ``discard``
    removes them and the folders made for them."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.files: list[str] = []
        self.folders: list[str] = []

    def temporary(self) -> str:
        handle, path = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=self.root)
        os.close(handle)
        self.files.append(path)
        return path

    def make_folders(self, folder: str) -> None:
        missing = []
        while not os.path.isdir(folder):
            missing.append(folder)
            folder = os.path.dirname(folder)
        for path in reversed(missing):
            os.mkdir(path)
            self.folders.append(path)

    def publish(self, temporary: str, final: str) -> None:
        """Give ``temporary`` its final name; FileExistsError if that name is taken."""
        self.make_folders(os.path.dirname(final))
        os.link(temporary, final)
        self.files.append(final)
        self.forget(temporary)
        os.unlink(temporary)

    def forget(self, path: str) -> None:
        self.files.remove(path)

    def discard(self) -> None:
        for path in self.files:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):  # something else was stored in it meanwhile
                os.rmdir(folder)
        self.files, self.folders = [], []


def _copy_checked(
    stream: BinaryIO, target: str, filename: str, kind: FileKind, rules: UploadRules
) -> int:
    """Copy ``stream`` to ``target``; refuse content that is not ``kind`` or is too large."""
    header = stream.read(HEADER_BYTES)
    if not header:
        raise ValidationError(f"{filename} is empty.", "upload")
    if not kind.matches(header):
        raise ValidationError(
            f"The content of {filename} is not a {kind.label}, although its name says so.",
            "upload",
        )
    size = len(header)
    with open(target, "wb") as output:
        output.write(header)
        while chunk := stream.read(CHUNK_BYTES):
            size += len(chunk)
            if size > rules.max_bytes:
                raise ValidationError(
                    f"{filename} is larger than the {readable_size(rules.max_bytes)} limit.",
                    "upload",
                )
            output.write(chunk)
    os.chmod(target, 0o644)
    return size


def _make_thumbnail(source: str, target: str, filename: str, pixels: int) -> None:
    """A PNG at most ``pixels`` wide and high; refuse an image Pillow cannot read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                image.draft("RGB", (pixels, pixels))
                image.thumbnail((pixels, pixels))
                mode = "RGBA" if "A" in image.getbands() else "RGB"
                image.convert(mode).save(target, "PNG")
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
    ) as error:
        raise ValidationError(f"{filename} could not be read as an image.", "upload") from error
    os.chmod(target, 0o644)


def _taken_paths(dbsession: Session, repository: Repository, candidates: list[str]) -> set[str]:
    return set(
        dbsession.scalars(
            select(File.relative_path).where(
                File.repository_id == repository.id, File.relative_path.in_(candidates)
            )
        )
    )


def _candidates(destination: RenderedPath) -> list[str]:
    """The rendered path, then the same with "_2", "_3", ... before the extension."""
    stem, extension = posixpath.splitext(destination.relative_path)
    return [destination.relative_path] + [
        f"{stem}_{number}{extension}" for number in range(2, FREE_NAME_ATTEMPTS + 1)
    ]


def _remove_on_rollback(dbsession: Session, staged: _Staged) -> None:
    """Discard ``staged`` when the session's current transaction ends without a commit."""
    root_transaction = dbsession.get_transaction()
    outcome = {"committed": False, "done": False}

    def after_commit(session) -> None:
        outcome["committed"] = True

    def after_transaction_end(session, transaction) -> None:
        if transaction is root_transaction and not outcome["done"]:
            outcome["done"] = True
            if not outcome["committed"]:
                staged.discard()

    event.listen(dbsession, "after_commit", after_commit)
    event.listen(dbsession, "after_transaction_end", after_transaction_end)


def store_upload(
    dbsession: Session,
    version: Version,
    *,
    filename: str | None,
    stream: BinaryIO | None,
    rules: UploadRules,
) -> File:
    """Store ``stream`` (uploaded as ``filename``) as a file of ``version``, at the path the
    project's filename template gives (with "_2", "_3", ... when that name is taken), with a
    thumbnail beside it for images. Nothing stays on disk or in the database when refused."""
    original = posixpath.basename((filename or "").replace("\\", "/")).strip()
    if stream is None or not original:
        raise ValidationError("Choose a file to upload.", "upload")
    extension, kind = checked_kind(original, rules)
    destination = version_file_path(dbsession, version, extension)
    repository = destination.repository
    staged = _Staged(repository_folder(repository))
    try:
        upload = staged.temporary()
        size = _copy_checked(stream, upload, original, kind, rules)
        thumbnail = None
        if kind.thumbnail:
            thumbnail = staged.temporary()
            _make_thumbnail(upload, thumbnail, original, rules.thumbnail_pixels)
        details = {"original_filename": original, "mime_type": kind.mime_type, "size": size}
        stored = _store(dbsession, staged, destination, version, (upload, thumbnail), details)
    except BaseException:
        staged.discard()
        raise
    _remove_on_rollback(dbsession, staged)
    return stored


def _store(
    dbsession: Session,
    staged: _Staged,
    destination: RenderedPath,
    version: Version,
    staged_files: tuple[str, str | None],
    details: dict,
) -> File:
    """Link the staged upload (and thumbnail) to the first free name and add its File row."""
    upload, thumbnail = staged_files
    hold_write_lock(dbsession)  # so the SAVEPOINT below nests in a real SQLite transaction
    candidates = _candidates(destination)
    taken = _taken_paths(dbsession, destination.repository, candidates)
    for relative in candidates:
        if relative in taken:
            continue
        final = os.path.join(staged.root, *relative.split("/"))
        thumbnail_relative = None
        try:
            staged.publish(upload, final)
        except FileExistsError:
            continue  # on disk without a row (left by another tool): never overwrite it
        if thumbnail is not None:
            folder, name = posixpath.split(relative)
            thumbnail_relative = posixpath.join(folder, THUMBNAIL_FOLDER, f"{name}.png")
            target = os.path.join(staged.root, *thumbnail_relative.split("/"))
            if os.path.exists(target):
                os.unlink(target)  # a stale thumbnail of a file that is gone
            staged.publish(thumbnail, target)
        try:
            with dbsession.begin_nested():
                stored = File(
                    version=version,
                    repository=destination.repository,
                    relative_path=relative,
                    thumbnail_path=thumbnail_relative,
                    **details,
                )
                dbsession.add(stored)
                dbsession.flush()
        except IntegrityError as error:
            raise ValidationError(
                "Another file was stored under the same name at the same moment; upload again."
            ) from error
        return stored
    raise ValidationError(
        f"{destination.relative_path} and its {FREE_NAME_ATTEMPTS - 1} numbered variants are "
        "all taken; ask a supervisor to tidy the folder."
    )


def stored_path(repository: Repository, relative_path: str) -> str | None:
    """The absolute path on this server of a stored file, or None when it would lie outside the
    repository root (after resolving links) or the root is not set here."""
    root = repository.root(current_os())
    if not root:
        return None
    real_root = os.path.realpath(root)
    target = os.path.realpath(os.path.join(real_root, *relative_path.split("/")))
    if os.path.commonpath([real_root, target]) != real_root or target == real_root:
        return None
    return target
