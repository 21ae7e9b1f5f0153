"""The versions of a daily, in the order they are shown: added by hand (found by task path or
version id), or every version published since a moment under a task for a pipeline step; moved
and removed while the daily is open. Places (``rank``) run 1, 2, 3... without gaps."""

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from ...models import Daily, DailyVersion, Project, Task, Type, Version
from ...models.task_path import subtree_pattern
from ...pagination import Page, paginate
from ..errors import ValidationError
from ..tasks.paths import task_paths
from ..tasks.search import path_conditions
from ..versions.media import first_thumbnail, version_media
from .dailies import lock, refuse_closed

FOUND_PER_PAGE = 20
# At most this many versions are collected at once: more is no longer a session to walk.
COLLECT_LIMIT = 300


def _renumber(daily: Daily) -> None:
    for rank, entry in enumerate(daily.entries, 1):
        entry.rank = rank


def add_version(dbsession: Session, daily: Daily, version: Version) -> DailyVersion:
    """Put ``version`` (of the daily's project) last in ``daily``."""
    lock(dbsession, daily)
    refuse_closed(daily, "add versions")
    if version.task.project_id != daily.project_id:
        raise ValidationError(f"{version.name} belongs to another project.", "version")
    placed = next((e for e in daily.entries if e.daily_version_id == version.id), None)
    if placed is not None:
        raise ValidationError(
            f"{version.name} is already in this daily, at place {placed.rank}.", "version"
        )
    entry = DailyVersion(version=version, rank=len(daily.entries) + 1)
    daily.entries.append(entry)
    dbsession.flush()
    return entry


def collect_published(
    dbsession: Session,
    daily: Daily,
    since: datetime,
    under: Task | None = None,
    step: Type | None = None,
) -> list[DailyVersion]:
    """Add to ``daily`` every version of its project published since ``since`` (the last change
    of a published version is its publication: nothing else edits one) inside ``under`` (any
    task of the project; None: the whole project) on tasks of the pipeline step ``step`` (None:
    any), that the daily does not hold yet; in the order of their task paths, then versions."""
    lock(dbsession, daily)
    refuse_closed(daily, "add versions")
    if under is not None and under.project_id != daily.project_id:
        raise ValidationError("Choose a task of this daily's project.", "under")
    if step is not None and step.target_entity_type != "Task":
        raise ValidationError("Choose a pipeline step.", "step")
    held = select(DailyVersion.daily_version_id).where(DailyVersion.daily_id == daily.id)
    statement = (
        select(Version)
        .join(Task, Task.id == Version.task_id)
        .where(
            Task.project_id == daily.project_id,
            Version.is_published.is_(True),
            Version.date_updated >= since,
            Version.id.not_in(held),
        )
        .options(joinedload(Version.task))
        .limit(COLLECT_LIMIT + 1)
    )
    if under is not None:
        statement = statement.where(Task.path.like(subtree_pattern(under.path)))
    if step is not None:
        statement = statement.where(Task.type_id == step.id)
    versions = list(dbsession.scalars(statement))
    if len(versions) > COLLECT_LIMIT:
        raise ValidationError(
            f"More than {COLLECT_LIMIT} versions were published since then; choose a later "
            "moment, a sequence or a step.",
            "since",
        )
    paths = task_paths(dbsession, {version.task for version in versions})
    versions.sort(key=lambda v: (paths[v.task_id], v.task_id, v.revision_number, v.version_number))
    first = len(daily.entries) + 1
    added = [
        DailyVersion(version=version, rank=rank) for rank, version in enumerate(versions, first)
    ]
    daily.entries.extend(added)
    dbsession.flush()
    return added


def _refuse_answered(entry: DailyVersion) -> None:
    if entry.outcome is not None:
        raise ValidationError(
            f"{entry.version.name} was already answered in this daily; it stays in the summary."
        )


def remove_entry(dbsession: Session, entry: DailyVersion) -> None:
    """Take an unanswered version out of its open daily; the ones after it move up."""
    daily = entry.daily
    lock(dbsession, daily)
    refuse_closed(daily, "remove versions")
    _refuse_answered(entry)
    daily.entries.remove(entry)
    _renumber(daily)
    dbsession.flush()


def move_entry(dbsession: Session, entry: DailyVersion, rank: int) -> int:
    """Move a version of an open daily to place ``rank`` (kept within the daily), shifting the
    others; returns the place it got."""
    daily = entry.daily
    lock(dbsession, daily)
    refuse_closed(daily, "change its order")
    rank = max(1, min(rank, len(daily.entries)))
    daily.entries.remove(entry)
    daily.entries.insert(rank - 1, entry)
    _renumber(daily)
    dbsession.flush()
    return rank


@dataclass(frozen=True)
class FoundVersion:
    """A version of the search for versions to add: its task path, picture, and its place in
    the daily when already there."""

    version: Version
    path: str
    thumbnail_file_id: int | None
    rank: int | None


def find_versions(
    dbsession: Session, daily: Daily, project: Project, text: str, number: int = 1
) -> Page:
    """A page of ``project``'s versions whose task path holds every word of ``text``, newest
    first; a number is also a version's id, that version first. A fixed number of queries
    whatever the page holds."""
    statement = (
        select(Version)
        .join(Task, Task.id == Version.task_id)
        .join(Project, Project.id == Task.project_id)
        .where(Task.project_id == project.id)
        .options(joinedload(Version.task), joinedload(Version.created_by))
        .order_by(Version.date_created.desc(), Version.id.desc())
    )
    words = path_conditions(text)
    if text.strip().isdigit() and len(text.strip()) <= 9:
        exact = Version.id == int(text)
        statement = statement.where(or_(exact, and_(*words))).order_by(None)
        statement = statement.order_by(exact.desc(), Version.date_created.desc(), Version.id.desc())
    else:
        statement = statement.where(*words)
    page = paginate(dbsession, statement, number, FOUND_PER_PAGE, params={"q": text})
    ids = [version.id for version in page.items]
    paths = task_paths(dbsession, {version.task for version in page.items})
    media = version_media(dbsession, ids)
    ranks = dict(
        dbsession.execute(
            select(DailyVersion.daily_version_id, DailyVersion.rank).where(
                DailyVersion.daily_id == daily.id, DailyVersion.daily_version_id.in_(ids)
            )
        ).all()
    )
    found = [
        FoundVersion(
            version,
            paths[version.task_id],
            first_thumbnail(media[version.id]),
            ranks.get(version.id),
        )
        for version in page.items
    ]
    return replace(page, items=found)


def entry_count(dbsession: Session, daily: Daily) -> int:
    """How many versions ``daily`` holds (one query)."""
    return dbsession.scalar(
        select(func.count(DailyVersion.id)).where(DailyVersion.daily_id == daily.id)
    )


def collection_places(dbsession: Session, project: Project) -> list[tuple[Task, str]]:
    """The tasks offered to collect versions under: the project's top tasks and its sequences,
    with their paths, in path order (three queries)."""
    tasks = list(
        dbsession.scalars(
            select(Task).where(
                Task.project_id == project.id,
                or_(Task.parent_id.is_(None), Task.entity_type == "Sequence"),
            )
        )
    )
    paths = task_paths(dbsession, tasks)
    return sorted(((task, paths[task.id]) for task in tasks), key=lambda pair: pair[1])
