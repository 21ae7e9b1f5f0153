"""Versions of a task: numbering safe under concurrent creation, publishing, history, inputs.

The stream of a version is its task and ``revision_number`` (Stalker 1.x); ``version_number`` is
the highest number of the stream plus one. The UNIQUE (task, revision, number) constraint is the
guard: two requests reading the same maximum cannot both insert, and the loser retries inside a
SAVEPOINT with a fresh maximum. SQLite serialises writers instead (see ``hold_write_lock``).
"""

from dataclasses import dataclass

from sqlalchemy import Integer, func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from ...events import VersionPublished, publish
from ...models import File, Task, TaskDependency, Version
from ...models.version import version_inputs
from ...pagination import Page, paginate
from ..errors import ValidationError, check_version, model_rules
from ..transactions import hold_write_lock

CREATE_ATTEMPTS = 5
VERSIONS_PER_PAGE = 20


def next_version_number(dbsession: Session, task: Task, revision_number: int) -> int:
    """The number the next version of the task's ``revision_number`` stream gets (max + 1)."""
    highest = dbsession.scalar(
        select(func.max(Version.version_number)).where(
            Version.task_id == task.id, Version.revision_number == revision_number
        )
    )
    return (highest or 0) + 1


def _checked_revision(revision_number) -> int:
    if isinstance(revision_number, bool) or not isinstance(revision_number, int):
        raise ValidationError("The revision number is a whole number.", "revision_number")
    if revision_number < 1:
        raise ValidationError("The revision number starts at 1.", "revision_number")
    return revision_number


def _parent_version(dbsession: Session, task: Task, parent_id: int | None) -> Version | None:
    if parent_id is None:
        return None
    parent = dbsession.get(Version, parent_id)
    if parent is None or parent.task.project_id != task.project_id:
        raise ValidationError(
            "That version does not exist in this project; choose another one.", "parent_id"
        )
    return parent


def _input_files(dbsession: Session, task: Task, file_ids) -> list[File]:
    """The files named by ``file_ids``; each must exist and belong to the task's project."""
    wanted = sorted(set(file_ids))
    if not wanted:
        return []
    files = list(
        dbsession.scalars(
            select(File)
            .join(Version, File.owner_version_id == Version.id)
            .join(Task, Version.task_id == Task.id)
            .where(File.id.in_(wanted), Task.project_id == task.project_id)
            .order_by(File.id)
        )
    )
    if len(files) != len(wanted):
        raise ValidationError(
            "Some of the chosen input files are gone or belong to another project; "
            "choose them again.",
            "input_file_ids",
        )
    return files


def create_version(
    dbsession: Session,
    task: Task,
    *,
    revision_number: int = 1,
    parent_id: int | None = None,
    created_with: str = "",
    description: str = "",
    input_file_ids=(),
) -> Version:
    """A new version of ``task`` numbered max + 1 in its stream (any kind of task, as in
    Stalker). ``parent_id`` is the version it was made from (same project); ``input_file_ids``
    are the files it was made with (same project)."""
    revision_number = _checked_revision(revision_number)
    parent = _parent_version(dbsession, task, parent_id)
    inputs = _input_files(dbsession, task, input_file_ids)
    hold_write_lock(dbsession)
    for _attempt in range(CREATE_ATTEMPTS):
        number = next_version_number(dbsession, task, revision_number)
        try:
            with dbsession.begin_nested():
                with model_rules():
                    version = Version(
                        task=task,
                        revision_number=revision_number,
                        version_number=number,
                        created_with=created_with,
                        description=(description or "").strip(),
                    )
                    version.parent = parent
                version.inputs = inputs
                dbsession.add(version)
                dbsession.flush()
        except IntegrityError:
            continue  # another request took this number first: read the maximum again
        return version
    raise ValidationError(
        "Other versions of this task were being created at the same moment; try again."
    )


def set_published(
    dbsession: Session, version: Version, published: bool, *, submitted_version: int | None
) -> Version:
    """Publish or unpublish ``version``, loaded at ``submitted_version`` (optimistic lock)."""
    check_version(version, submitted_version, f"Version {version.name}")
    newly_published = published and not version.is_published
    version.is_published = published
    dbsession.flush()
    if newly_published:
        publish(dbsession, VersionPublished(version.id, version.task_id, version.task.project_id))
    return version


def _newest_first(statement, task: Task, revision_number: int | None):
    statement = statement.where(Version.task_id == task.id)
    if revision_number is not None:
        statement = statement.where(Version.revision_number == revision_number)
    return statement.order_by(Version.revision_number.desc(), Version.version_number.desc()).limit(
        1
    )


def latest_version(
    dbsession: Session, task: Task, revision_number: int | None = None
) -> Version | None:
    """Stalker's ``latest_version``: the highest number of the stream ``revision_number``, or
    with None the newest of the task (highest revision, then highest number)."""
    return dbsession.scalar(_newest_first(select(Version), task, revision_number))


def latest_published_version(
    dbsession: Session, task: Task, revision_number: int | None = None
) -> Version | None:
    """Stalker's ``latest_published_version``, chosen as ``latest_version`` among published."""
    statement = select(Version).where(Version.is_published.is_(True))
    return dbsession.scalar(_newest_first(statement, task, revision_number))


@dataclass
class VersionHistory:
    """Where a version comes from (``ancestors``: its parent, the parent's parent, ... oldest
    first) and what was made from it (``children``)."""

    ancestors: list[Version]
    children: list[Version]


def version_history(dbsession: Session, version: Version) -> VersionHistory:
    """The parent chain (one recursive query) and the children (one query), with their tasks."""
    chain = (
        select(Version.id, Version.parent_id, literal(1, Integer).label("d"))
        .where(Version.id == version.parent_id)
        .cte("chain", recursive=True)
    )
    chain = chain.union_all(
        select(Version.id, Version.parent_id, chain.c.d + 1).join(
            chain, Version.id == chain.c.parent_id
        )
    )
    rows = dbsession.execute(
        select(Version, chain.c.d)
        .join(chain, Version.id == chain.c.id)
        .options(joinedload(Version.task))
        .order_by(chain.c.d.desc())
    ).all()
    children = dbsession.scalars(
        select(Version)
        .where(Version.parent_id == version.id)
        .options(joinedload(Version.task))
        .order_by(Version.id)
    )
    return VersionHistory(ancestors=[row[0] for row in rows], children=list(children))


def _with_files(statement):
    return statement.options(
        selectinload(Version.files).joinedload(File.repository), joinedload(Version.created_by)
    )


def task_versions(dbsession: Session, task: Task, page_number: int = 1) -> Page:
    """The task page's versions, newest first, with their files (for thumbnails) and authors:
    three queries (count, page, files) whatever the number of versions."""
    statement = _with_files(
        select(Version)
        .where(Version.task_id == task.id)
        .order_by(Version.revision_number.desc(), Version.version_number.desc())
    )
    return paginate(dbsession, statement, page_number, VERSIONS_PER_PAGE, {})


@dataclass
class VersionDetails:
    """What the version page shows."""

    version: Version
    history: VersionHistory
    inputs: list[File]
    latest: Version | None
    latest_published: Version | None


def version_details(dbsession: Session, version: Version) -> VersionDetails:
    """The version with its files, inputs (with their versions and tasks), history and the
    latest (published) versions of its stream, in a fixed number of queries."""
    dbsession.execute(
        _with_files(select(Version).where(Version.id == version.id)).options(
            joinedload(Version.task), joinedload(Version.parent)
        )
    ).unique().all()
    inputs = list(
        dbsession.scalars(
            select(File)
            .join(version_inputs, version_inputs.c.file_id == File.id)
            .where(version_inputs.c.version_id == version.id)
            .options(joinedload(File.repository), joinedload(File.version).joinedload(Version.task))
            .order_by(File.id)
        )
    )
    return VersionDetails(
        version=version,
        history=version_history(dbsession, version),
        inputs=inputs,
        latest=latest_version(dbsession, version.task, version.revision_number),
        latest_published=latest_published_version(dbsession, version.task, version.revision_number),
    )


def input_choices(dbsession: Session, task: Task) -> list[File]:
    """Files a new version of ``task`` is likely made with: those of the latest published
    version of each task it depends on (two queries)."""
    upstream = select(TaskDependency.depends_on_id).where(TaskDependency.task_id == task.id)
    published = list(
        dbsession.scalars(
            select(Version)
            .where(Version.task_id.in_(upstream), Version.is_published.is_(True))
            .order_by(
                Version.task_id, Version.revision_number.desc(), Version.version_number.desc()
            )
        )
    )
    latest: dict[int, Version] = {}
    for version in published:
        latest.setdefault(version.task_id, version)
    if not latest:
        return []
    return list(
        dbsession.scalars(
            select(File)
            .where(File.owner_version_id.in_([version.id for version in latest.values()]))
            .options(joinedload(File.version).joinedload(Version.task))
            .order_by(File.owner_version_id, File.id)
        )
    )
