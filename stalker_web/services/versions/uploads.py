"""Storing an uploaded file of a version in its project's repository, with a thumbnail.

Everything is checked before anything is stored, by the checks every upload goes through
(``services/checked_uploads.py``: type by extension and content, size, images that open). The
upload is written to a temporary file under the repository root, then linked to its final name,
the first free one of the filename template's; if the database transaction is rolled back
afterwards, the stored files (and the folders made for them) are removed again.
"""

import os
import posixpath
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ...models import File, Repository, Version
from ...models.repository import current_os
from ..checked_uploads import (
    StagedFiles,
    StagedUpload,
    UploadRules,
    checked_kind,
    path_inside,
    remove_on_rollback,
    stage_checked,
    upload_name,
)
from ..errors import ValidationError
from ..transactions import hold_write_lock
from .file_paths import RenderedPath, version_file_path

THUMBNAIL_FOLDER = ".thumbnails"
FREE_NAME_ATTEMPTS = 100


def repository_folder(repository: Repository) -> str:
    """The repository root on this server, which must be an existing folder."""
    root = repository.root(current_os())
    if not root or not os.path.isdir(root):
        raise ValidationError(
            f"Repository {repository.name} has no folder on this server "
            f"({root or 'no root set'}); ask an administrator to fix its root."
        )
    return os.path.realpath(root)


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
    original = upload_name(filename, stream)
    extension, kind = checked_kind(original, rules)
    destination = version_file_path(dbsession, version, extension)
    staged = StagedFiles(repository_folder(destination.repository))
    try:
        upload = stage_checked(staged, original, kind, stream, rules)
        stored = _store(dbsession, staged, destination, version, upload)
    except BaseException:
        staged.discard()
        raise
    remove_on_rollback(dbsession, staged)
    return stored


def _store(
    dbsession: Session,
    staged: StagedFiles,
    destination: RenderedPath,
    version: Version,
    upload: StagedUpload,
) -> File:
    """Link the staged upload (and thumbnail) to the first free name and add its File row."""
    hold_write_lock(dbsession)  # so the SAVEPOINT below nests in a real SQLite transaction
    candidates = _candidates(destination)
    taken = _taken_paths(dbsession, destination.repository, candidates)
    for relative in candidates:
        if relative in taken:
            continue
        final = os.path.join(staged.root, *relative.split("/"))
        thumbnail_relative = None
        try:
            staged.publish(upload.path, final)
        except FileExistsError:
            continue  # on disk without a row (left by another tool): never overwrite it
        if upload.thumbnail is not None:
            folder, name = posixpath.split(relative)
            thumbnail_relative = posixpath.join(folder, THUMBNAIL_FOLDER, f"{name}.png")
            target = os.path.join(staged.root, *thumbnail_relative.split("/"))
            if os.path.exists(target):
                os.unlink(target)  # a stale thumbnail of a file that is gone
            staged.publish(upload.thumbnail, target)
        try:
            with dbsession.begin_nested():
                stored = File(
                    version=version,
                    repository=destination.repository,
                    relative_path=relative,
                    thumbnail_path=thumbnail_relative,
                    **upload.details,
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
    return path_inside(root, relative_path) if root else None
