"""Which picture stands for a task in a list: the thumbnail of its latest version (or of the latest
version of its children, for a shot or an asset whose work lives in its step tasks), found for any
number of tasks in one query. The board, the task lists and the home page all ask here."""

from collections.abc import Iterable

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from ...models import File, Task, Version


def latest_thumbnails(
    dbsession: Session, task_ids: Iterable[int], *, published_only: bool = False
) -> dict[int, int]:
    """For each of ``task_ids``, the id of the first file with a thumbnail of the newest version
    of the task or of its children (of the newest published one when ``published_only``), in
    one query; tasks whose newest version has no thumbnail, or without a version, are left out."""
    ids = sorted(set(task_ids))
    if not ids:
        return {}
    own = select(
        Version.task_id.label("owner_id"),
        Version.id.label("version_id"),
        Version.date_created.label("created"),
    ).where(Version.task_id.in_(ids))
    of_children = (
        select(Task.parent_id, Version.id, Version.date_created)
        .join(Task, Task.id == Version.task_id)
        .where(Task.parent_id.in_(ids))
    )
    if published_only:
        own = own.where(Version.is_published.is_(True))
        of_children = of_children.where(Version.is_published.is_(True))
    candidates = union_all(own, of_children).subquery()
    ranked = select(
        candidates.c.owner_id,
        candidates.c.version_id,
        func.row_number()
        .over(
            partition_by=candidates.c.owner_id,
            order_by=(candidates.c.created.desc(), candidates.c.version_id.desc()),
        )
        .label("rank"),
    ).subquery()
    rows = dbsession.execute(
        select(ranked.c.owner_id, func.min(File.id))
        .join(File, File.owner_version_id == ranked.c.version_id)
        .where(ranked.c.rank == 1, File.thumbnail_path.is_not(None))
        .group_by(ranked.c.owner_id)
    )
    return dict(rows.all())
