"""What a page shows of versions' files: each file as a picture, a video or a download link,
with its thumbnail, for any number of versions in one query (the review inbox, a daily's pages,
the version beside the one reviewed)."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...file_kinds import shown_as
from ...models import File


@dataclass(frozen=True)
class Media:
    """One file of a version as a page shows it: ``shown_as`` is "picture", "video" or "file"
    (see ``file_kinds.shown_as``); ``has_thumbnail`` when a PNG thumbnail was made of it."""

    file_id: int
    name: str
    shown_as: str
    has_thumbnail: bool


def version_media(dbsession: Session, version_ids: Iterable[int]) -> dict[int, list[Media]]:
    """The files of each of ``version_ids`` (in upload order) as pages show them, one query;
    a version without files maps to an empty list."""
    ids = sorted(set(version_ids))
    media: dict[int, list[Media]] = {version_id: [] for version_id in ids}
    if not ids:
        return media
    rows = dbsession.execute(
        select(
            File.owner_version_id,
            File.id,
            File.original_filename,
            File.name,
            File.mime_type,
            File.thumbnail_path.is_not(None),
        )
        .where(File.owner_version_id.in_(ids))
        .order_by(File.owner_version_id, File.id)
    )
    for version_id, file_id, original, name, mime_type, has_thumbnail in rows:
        media[version_id].append(
            Media(file_id, original or name, shown_as(mime_type), bool(has_thumbnail))
        )
    return media


def first_thumbnail(media: list[Media]) -> int | None:
    """The id of the first file of ``media`` with a thumbnail: the picture standing for the
    version in a list."""
    return next((item.file_id for item in media if item.has_thumbnail), None)
