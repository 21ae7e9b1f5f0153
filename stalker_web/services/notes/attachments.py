"""Files attached to notes: checked as version uploads are, stored under the attachments folder.

The checks are the uploads' own (``services/checked_uploads.py``: accepted types by extension
and content, the size limit, images that open, a thumbnail for each). A note's files live in the
folder the ini's ``stalker_web.attachments_path`` names (``var/attachments`` by default) as
``<note id>/<random>-<safe name>``, their thumbnails under ``<note id>/thumbnails/``, so two
files never collide whatever they were called; the name they were uploaded under is kept for
downloads. What a refused note or a rolled-back transaction wrote is removed again.

The app's sessions know where that folder is and which rules apply (``configure_sessions`` at
start-up); a script or a test names its own with ``use_store``.
"""

import os
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy.orm import Session, sessionmaker

from ...file_kinds import FileKind
from ...models import Note, NoteAttachment
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

SETTING = "stalker_web.attachments_path"
DEFAULT_FOLDER = "var/attachments"
# The form field whose errors the checks name.
ATTACHMENT_FIELD = "attachment"
MAX_ATTACHMENTS = 4
FILENAME_MAX_LENGTH = 256
SAFE_STEM_LENGTH = 80
THUMBNAIL_FOLDER = "thumbnails"
_STORE_KEY = "notes.attachment_store"
_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Upload:
    """A file sent with a note: the name it was uploaded under and its content."""

    filename: str
    stream: BinaryIO


@dataclass(frozen=True)
class AttachmentStore:
    """Where note attachments are stored on this server, and the rules they are checked by."""

    folder: str
    rules: UploadRules

    @classmethod
    def from_settings(cls, settings: Mapping, studio_config: dict) -> "AttachmentStore":
        """The ini's ``stalker_web.attachments_path`` (default ``var/attachments``) and the
        studio configuration's ``[uploads]`` rules."""
        folder = settings.get(SETTING) or DEFAULT_FOLDER
        return cls(os.path.abspath(folder), UploadRules.from_config(studio_config))


def configure_sessions(session_factory: sessionmaker, store: AttachmentStore) -> None:
    """Make every session of ``session_factory`` store note attachments with ``store``."""
    session_factory.configure(info={_STORE_KEY: store})


def use_store(dbsession: Session, store: AttachmentStore) -> None:
    """Make ``dbsession`` store note attachments with ``store`` (scripts and tests)."""
    dbsession.info[_STORE_KEY] = store


def store_of(dbsession: Session) -> AttachmentStore:
    """Where ``dbsession`` stores note attachments."""
    store = dbsession.info.get(_STORE_KEY)
    if store is None:
        raise RuntimeError(
            "This session has no attachment store: the app configures its sessions, a script "
            "calls notes.attachments.use_store first."
        )
    return store


@dataclass(frozen=True)
class CheckedName:
    """An upload whose name passed the checks: its original name and the kind it claims."""

    upload: Upload
    original: str
    kind: FileKind


def checked_names(uploads: Sequence[Upload], rules: UploadRules) -> list[CheckedName]:
    """The uploads' names and kinds, refused (before anything is written) when there are too
    many, one has no name, a name too long or a type the rules do not accept."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            f"A note takes at most {MAX_ATTACHMENTS} files: leave out "
            f"{len(uploads) - MAX_ATTACHMENTS} of them.",
            ATTACHMENT_FIELD,
        )
    checked = []
    for upload in uploads:
        original = upload_name(upload.filename, upload.stream, ATTACHMENT_FIELD)
        if len(original) > FILENAME_MAX_LENGTH:
            raise ValidationError(
                f"The name {original[:40]}… is too long: rename the file to at most "
                f"{FILENAME_MAX_LENGTH} characters.",
                ATTACHMENT_FIELD,
            )
        _extension, kind = checked_kind(original, rules, ATTACHMENT_FIELD)
        checked.append(CheckedName(upload, original, kind))
    return checked


class StagedAttachments:
    """Checked uploads written to temporary files in the attachments folder, waiting for their
    note's id; ``discard`` removes whatever was written."""

    def __init__(self, store: AttachmentStore, names: list[CheckedName]) -> None:
        os.makedirs(store.folder, exist_ok=True)
        self.files = StagedFiles(os.path.realpath(store.folder))
        self.uploads: list[StagedUpload] = []
        try:
            for name in names:
                self.uploads.append(
                    stage_checked(
                        self.files,
                        name.original,
                        name.kind,
                        name.upload.stream,
                        store.rules,
                        ATTACHMENT_FIELD,
                    )
                )
        except BaseException:
            self.files.discard()
            raise

    def discard(self) -> None:
        """Remove whatever was written."""
        self.files.discard()

    def store(self, dbsession: Session, note: Note) -> list[NoteAttachment]:
        """Give each staged file its final name under the (flushed) note's folder and add its
        row; the files are removed again if the transaction does not commit."""
        try:
            attachments = [self._publish(note, upload) for upload in self.uploads]
            dbsession.add_all(attachments)
            dbsession.flush()
        except BaseException:
            self.discard()
            raise
        remove_on_rollback(dbsession, self.files)
        return attachments

    def _publish(self, note: Note, upload: StagedUpload) -> NoteAttachment:
        name = f"{secrets.token_hex(8)}-{safe_name(upload.original_filename)}"
        folder = os.path.join(self.files.root, str(note.id))
        self.files.publish(upload.path, os.path.join(folder, name))
        thumbnail = None
        if upload.thumbnail is not None:
            self.files.publish(
                upload.thumbnail, os.path.join(folder, THUMBNAIL_FOLDER, name + ".png")
            )
            thumbnail = f"{note.id}/{THUMBNAIL_FOLDER}/{name}.png"
        return NoteAttachment(
            note_id=note.id,
            relative_path=f"{note.id}/{name}",
            thumbnail_path=thumbnail,
            **upload.details,
        )


def safe_name(filename: str) -> str:
    """``filename`` with only letters, digits, "_" and "-" in its stem (others become "_", at
    most 80 characters) and its extension in lower case: "Frame 12 (final).PNG" →
    "Frame_12_final.png"."""
    stem, extension = os.path.splitext(filename)
    cleaned = _UNSAFE_IN_NAME.sub("_", stem).strip("_")[:SAFE_STEM_LENGTH] or "file"
    return cleaned + extension.lower()


def attachment_file(store: AttachmentStore, relative_path: str | None) -> str | None:
    """The absolute path of a stored attachment (or thumbnail), or None when there is none or
    it would lie outside the attachments folder."""
    return path_inside(store.folder, relative_path) if relative_path else None
