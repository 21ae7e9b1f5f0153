"""The checks every uploaded file goes through, and the staging that leaves nothing behind.

Shared by the files of versions (``versions/uploads.py``) and the attachments of notes
(``notes/attachments.py``). The type is checked by extension (the ``[uploads]`` configuration
lists those accepted) and by content (the file's first bytes must be what the extension claims),
the size against ``uploads.max_bytes``, and images must open in Pillow, which makes their
thumbnail. A file is written to a temporary name under the folder it will live in and linked to
its final name, which never replaces an existing file; if the database transaction is rolled
back afterwards, the stored files (and the folders made for them) are removed again.
"""

import contextlib
import errno
import os
import posixpath
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..file_kinds import KNOWN_KINDS, FileKind
from .errors import ValidationError

CHUNK_BYTES = 1024 * 1024
# What the storage says when it will not take a write, in the words of the message.
STORAGE_PROBLEMS = {
    errno.ENOSPC: "full",
    errno.EDQUOT: "full",
    errno.EFBIG: "full",
    errno.EROFS: "not writable",
    errno.EACCES: "not writable",
    errno.EPERM: "not writable",
}
HEADER_BYTES = 16
UPLOAD_FIELD = "upload"


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


def upload_name(filename: str | None, stream: BinaryIO | None, field: str = UPLOAD_FIELD) -> str:
    """The name the file was uploaded under, without the folders a browser may send
    (``C:\\renders\\beauty.png`` → ``beauty.png``); refused when no file was chosen."""
    original = posixpath.basename((filename or "").replace("\\", "/")).strip()
    if stream is None or not original:
        raise ValidationError("Choose a file to upload.", field)
    return original


def checked_kind(
    filename: str, rules: UploadRules, field: str = UPLOAD_FIELD
) -> tuple[str, FileKind]:
    """The extension (lower case) and kind of ``filename``, refused unless the rules accept it."""
    extension = posixpath.splitext(filename)[1].lower()
    if not extension:
        raise ValidationError(
            f"{filename} has no extension; accepted types: {rules.accepted}.", field
        )
    if extension not in rules.extensions:
        raise ValidationError(
            f"Files of type {extension} are not accepted; accepted types: {rules.accepted}.",
            field,
        )
    return extension, KNOWN_KINDS[extension]


@contextlib.contextmanager
def storage_refusals(field: str = UPLOAD_FIELD) -> Iterator[None]:
    """Turn the storage's refusal of a write (full, over quota, read-only, not allowed) into a
    ValidationError saying so; other errors go on."""
    try:
        yield
    except OSError as error:
        problem = STORAGE_PROBLEMS.get(error.errno)
        if problem is None:
            raise
        raise ValidationError(
            f"The studio's file storage is {problem}, so the file was not saved. Tell an "
            "administrator, and upload it again once they have made room.",
            field,
        ) from error


class StagedFiles:
    """Files written under ``root`` but not yet (or no longer) wanted; ``discard`` removes them
    and the folders made for them."""

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
        with storage_refusals():
            self.make_folders(os.path.dirname(final))
            os.link(temporary, final)
        self.files.append(final)
        self.files.remove(temporary)
        os.unlink(temporary)

    def discard(self) -> None:
        for path in self.files:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):  # something else was stored in it meanwhile
                os.rmdir(folder)
        self.files, self.folders = [], []


@dataclass(frozen=True)
class StagedUpload:
    """A checked upload written to a temporary file (with its thumbnail, for images)."""

    original_filename: str
    kind: FileKind
    path: str
    thumbnail: str | None
    size: int

    @property
    def details(self) -> dict:
        """The columns a stored file's row takes from the upload."""
        return {
            "original_filename": self.original_filename,
            "mime_type": self.kind.mime_type,
            "size": self.size,
        }


def stage_checked(
    staged: StagedFiles,
    original: str,
    kind: FileKind,
    stream: BinaryIO,
    rules: UploadRules,
    field: str = UPLOAD_FIELD,
) -> StagedUpload:
    """Copy ``stream`` (uploaded as ``original``, of ``kind`` by its name) to a temporary file
    of ``staged``, refusing content that is not ``kind`` or too large, and make the thumbnail of
    an image (refusing one Pillow cannot read)."""
    with storage_refusals(field):
        path = staged.temporary()
        size = _copy_checked(stream, path, original, kind, rules, field)
        thumbnail = None
        if kind.thumbnail:
            thumbnail = staged.temporary()
            _make_thumbnail(path, thumbnail, original, rules.thumbnail_pixels, field)
    return StagedUpload(original, kind, path, thumbnail, size)


def _copy_checked(
    stream: BinaryIO, target: str, filename: str, kind: FileKind, rules: UploadRules, field: str
) -> int:
    """Copy ``stream`` to ``target``; refuse content that is not ``kind`` or is too large."""
    header = stream.read(HEADER_BYTES)
    if not header:
        raise ValidationError(f"{filename} is empty.", field)
    if not kind.matches(header):
        raise ValidationError(
            f"The content of {filename} is not a {kind.label}, although its name says so.",
            field,
        )
    size = len(header)
    with open(target, "wb") as output:
        output.write(header)
        while chunk := stream.read(CHUNK_BYTES):
            size += len(chunk)
            if size > rules.max_bytes:
                raise ValidationError(
                    f"{filename} is larger than the {readable_size(rules.max_bytes)} limit.",
                    field,
                )
            output.write(chunk)
    os.chmod(target, 0o644)
    return size


def _make_thumbnail(source: str, target: str, filename: str, pixels: int, field: str) -> None:
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
        if isinstance(error, OSError) and error.errno in STORAGE_PROBLEMS:
            raise  # the thumbnail could not be written, not the image read
        raise ValidationError(f"{filename} could not be read as an image.", field) from error
    os.chmod(target, 0o644)


def remove_on_rollback(dbsession: Session, staged: StagedFiles) -> None:
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


def path_inside(root: str, relative_path: str) -> str | None:
    """The absolute path of ``relative_path`` (``/``-separated) under the folder ``root``, or
    None when it would lie outside it (after resolving links) or be the folder itself."""
    real_root = os.path.realpath(root)
    target = os.path.realpath(os.path.join(real_root, *relative_path.split("/")))
    if os.path.commonpath([real_root, target]) != real_root or target == real_root:
        return None
    return target
